import { serveFunction } from "../../shared/serve.ts";
import { createApp } from "./app.ts";

serveFunction("professionals", createApp);
