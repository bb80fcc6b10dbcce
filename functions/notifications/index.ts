import { serveFunction } from "../../shared/serve.ts";
import { createApp } from "./app.ts";
import { NOTIFICATIONS_SETTINGS } from "./config.ts";

serveFunction("notifications", NOTIFICATIONS_SETTINGS, createApp);
