/** Minimal types for json-schema-merge-allof (the package ships none). */
declare module 'json-schema-merge-allof' {
  type Resolver = (values: unknown[], paths: string[][], mergers: unknown, options: unknown) => unknown;
  interface Options {
    ignoreAdditionalProperties?: boolean;
    deep?: boolean;
    resolvers?: Record<string, Resolver> & { defaultResolver?: Resolver };
  }
  function mergeAllOf<T>(schema: T, options?: Options): T;
  export default mergeAllOf;
}
