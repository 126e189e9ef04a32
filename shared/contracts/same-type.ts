/**
 * Compile-time proof that a schema's output is exactly a domain type: `const _x: Same<A, B> = true`
 * fails to type-check when either side drifts, so the domain can own its types without the wire layer.
 */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
