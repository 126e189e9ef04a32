/** Route contracts of the 'policies' Lambda. */
export const policiesRoutes = {};
