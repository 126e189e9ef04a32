import 'aws-sdk-client-mock-vitest/extend';
import { afterAll } from 'vitest';
import { dropTestTables } from './test-tables.ts';

// The SDK warns on every client about Node versions; tests are not the place for it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

// Registered first, so it runs after the file's own afterAll hooks have stopped its stacks.
afterAll(dropTestTables);
