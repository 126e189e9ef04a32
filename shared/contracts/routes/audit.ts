/** Route contracts of the 'audit' Lambda. */
export const auditRoutes = {};
