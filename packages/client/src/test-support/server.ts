// The server package is imported by path: it is not a dependency of the client (no server code in its bundle).
export {
  startTestServer,
  TEST_ADMIN as ADMIN,
  type TestServer,
} from "../../../../apps/server/src/testing.ts";
