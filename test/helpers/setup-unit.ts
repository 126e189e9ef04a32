import 'aws-sdk-client-mock-vitest/extend';

// The SDK warns on every client about Node versions; tests are not the place for it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
