import { serveFunction } from "../../shared/serve.ts";
import { createApp } from "./app.ts";
import { CHAT_OFFERS_SETTINGS } from "./config.ts";

serveFunction("chat-offers", CHAT_OFFERS_SETTINGS, createApp);
