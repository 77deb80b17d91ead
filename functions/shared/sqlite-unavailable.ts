/**
 * Stands in for better-sqlite3 in Lambda bundles (a native module that cannot be bundled): the functions use
 * the S3 + DynamoDB store, and the embedded store fails with this message if it is ever opened there.
 */
export default class Database {
  constructor() {
    throw new Error('the embedded store (better-sqlite3) is not available in the Lambda functions');
  }
}
