import { serveFunction } from "../../shared/serve.ts";
import { createApp } from "./app.ts";
import { AUTH_SETTINGS } from "./config.ts";

serveFunction("auth", AUTH_SETTINGS, createApp);
