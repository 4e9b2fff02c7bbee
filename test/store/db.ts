import mongoose from 'mongoose';
import { testDbName, testEnv } from '../harness/env';

testEnv();

/** The store's tests talk to the run's embedded server directly: one fresh database per file. */
export function useStoreDatabase(): void {
  beforeAll(async () => {
    await mongoose.connect(process.env.WM_TEST_MONGO_URI!, { dbName: testDbName() });
  });
  afterAll(async () => {
    await mongoose.connection.dropDatabase().catch(() => undefined);
    await mongoose.disconnect();
  });
}

/** A native collection of this file's database, unique per test so tests never see each other's rows. */
let n = 0;
export const freshCollection = (name: string) =>
  mongoose.connection.db!.collection<{ _id: string } & Record<string, unknown>>(`${name}_${++n}`);
