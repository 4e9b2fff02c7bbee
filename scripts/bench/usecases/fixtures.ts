import { pool, type Client } from '../client';

/** Communities of content/regions.yaml the fixtures spread residents over. */
export const COMMUNITIES = ['330201001001', '330201001002', '330202002001', '330203002001'];
export const CITY = '3302';

export interface ResidentFixture {
  id: string;
  token: string;
}

/** Creates residents through the API (anonymous H5 sessions), each placed in a community. */
export async function residents(client: Client, n: number): Promise<ResidentFixture[]> {
  return pool(n, 20, async (i) => {
    const s = await client.expect<{ token: string; resident: { id: string } }>(201, 'POST', '/api/v1/sessions/anonymous', {});
    await client.expect(200, 'PATCH', '/api/v1/me', { regionCode: COMMUNITIES[i % COMMUNITIES.length] }, s.token);
    return { id: s.resident.id, token: s.token };
  });
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
