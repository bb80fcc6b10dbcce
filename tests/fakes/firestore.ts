// Registry entry for the Firestore REST v1 stand-in (firestore-server.ts): fixed port 8086 on the
// dev stack, and the variables shared/firestore.ts is configured from.

import { startFirestoreStandIn } from "./firestore-server.ts";
import type { StandIn } from "./registry.ts";

/** The stack's Firestore: a fresh service-account key pair and empty database per start. */
export const FIRESTORE_STAND_IN: StandIn = {
  name: "Firestore (REST v1)",
  async start(ctx) {
    const server = await startFirestoreStandIn({ port: ctx.fixedPorts ? 8086 : 0 });
    return {
      env: {
        FIREBASE_SERVICE_ACCOUNT: JSON.stringify(server.serviceAccount),
        FIRESTORE_HOST: server.host,
      },
      stop: server.stop,
    };
  },
};
