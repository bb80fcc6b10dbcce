import { toAppError } from "./mercadopago-errors.ts";

/** How to reach MercadoPago. Built from config by the caller; this module reads no env. */
export type MercadoPagoClient = {
  accessToken: string;
  /** A stand-in's URL; unset means MercadoPago itself. */
  baseUrl?: string;
  /** Per attempt. The SDK's own default is 60 s, longer than an edge function should wait. */
  timeoutMs: number;
  /**
   * SDK retries; 0 by default because our callers already retry: MercadoPago redelivers a webhook
   * we answer non-2xx, QStash redelivers events, the reconciliation job runs again. SDK retries
   * inside (1 s, 2 s, 4 s) would multiply with those and hold a request open for ~7 s.
   */
  maxRetries?: number;
};

const importSdk = () => import("mercadopago");
type Sdk = Awaited<ReturnType<typeof importSdk>>;
type Loaded = { sdk: Sdk; appConfig: { BASE_URL: string }; defaultBaseUrl: string };

let loading: Promise<Loaded> | undefined;

// ~110 ms to import: paid by the first payment call, not by every function boot.
function loadSdk(): Promise<Loaded> {
  loading ??= Promise.all([importSdk(), import("mercadopago/dist/utils/config/index.js")])
    .then(([sdk, config]) => {
      // The typings say readonly; it is a plain static that every SDK client reads per request.
      const appConfig = config.AppConfig as unknown as { BASE_URL: string };
      return { sdk, appConfig, defaultBaseUrl: appConfig.BASE_URL };
    })
    .catch((error) => {
      loading = undefined;
      throw error;
    });
  return loading!;
}

/**
 * Runs one SDK operation with a fresh `MercadoPagoConfig`: the SDK merges every call's
 * `requestOptions` (idempotency key included) into the config it was given, so a shared config
 * would send one operation's key with the next. `run` must call the SDK before its first `await`:
 * the base URL is process-wide and the SDK reads it synchronously when a request starts.
 *
 * @example
 * const payment = await withSdk(client, `consultar el pago "${id}"`, (sdk, config) =>
 *   new sdk.Payment(config).get({ id }));
 */
export async function withSdk<T>(
  client: MercadoPagoClient,
  action: string,
  run: (sdk: Sdk, config: InstanceType<Sdk["MercadoPagoConfig"]>) => Promise<T>,
): Promise<T> {
  const { sdk, appConfig, defaultBaseUrl } = await loadSdk();
  const config = new sdk.MercadoPagoConfig({
    accessToken: client.accessToken,
    options: { timeout: client.timeoutMs, maxRetries: client.maxRetries ?? 0 },
  });
  appConfig.BASE_URL = (client.baseUrl ?? defaultBaseUrl).replace(/\/+$/, "");
  try {
    return await run(sdk, config);
  } catch (error) {
    throw toAppError(error, action);
  }
}
