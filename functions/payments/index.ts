import { serveFunction } from "../../shared/serve.ts";
import { createApp } from "./app.ts";
import { PAYMENTS_SETTINGS } from "./config.ts";

serveFunction("payments", PAYMENTS_SETTINGS, createApp);
