import { serveFunction } from "../../shared/serve.ts";
import { createApp } from "./app.ts";
import { PROFESSIONALS_SETTINGS } from "./config.ts";

serveFunction("professionals", PROFESSIONALS_SETTINGS, createApp);
