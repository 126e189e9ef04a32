/** Route contracts of the 'access' Lambda. */
export const accessRoutes = {};
