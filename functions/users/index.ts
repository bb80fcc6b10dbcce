import { serveFunction } from "../../shared/serve.ts";
import { createApp } from "./app.ts";
import { USERS_SETTINGS } from "./config.ts";

serveFunction("users", USERS_SETTINGS, createApp);
