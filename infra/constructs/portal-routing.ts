/**
 * SPA routing for the deployed portal, as a CloudFront Function (viewer request, cloudfront-js-2.0).
 * Page URLs under /portal/ (/portal/my-roles, /portal/requests/req_1, /portal/callback?code=…) are
 * answered with /portal/index.html; files keep their own path, so a missing asset is a real error and not
 * an HTML page with status 200 (which a 403→200 error mapping would make of every missing file, and of
 * real S3 errors too). Files are what Vite emits: everything under /portal/assets/, and single files at
 * the top (/portal/config.json); a page URL may contain a dot deeper down (a user principal name).
 * The site root and /portal redirect to /portal/, where the app lives (its base path).
 */

/** The function's source: plain ES5.1-ish JavaScript, as CloudFront's runtime wants it. */
export const PORTAL_ROUTING_FUNCTION = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === '/' || uri === '/portal') {
    return { statusCode: 302, statusDescription: 'Found', headers: { location: { value: '/portal/' } } };
  }
  var isFile = uri.indexOf('/portal/assets/') === 0 || /^\\/portal\\/[^\\/]+\\.[A-Za-z0-9]+$/.test(uri);
  if (uri.indexOf('/portal/') === 0 && !isFile) request.uri = '/portal/index.html';
  return request;
}
`;
