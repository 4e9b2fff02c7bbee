/// <reference types="vite/client" />

// tsc checks the .ts files of the H5; SFCs are compiled (not type-checked) by Vite.
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}
