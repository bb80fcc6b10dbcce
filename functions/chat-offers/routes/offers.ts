import type { AuthUser } from "../../../shared/auth-user.ts";
import { AppError } from "../../../shared/errors.ts";
import type { ChatOffersPlatform } from "../config.ts";
import {
  createRoute,
  errorSchema,
  idParamsFor,
  json,
  jsonBody,
  type ServiceApp,
} from "../../../shared/route.ts";
import { z } from "zod";
import { chatNotFound } from "../chat-rooms.ts";
import {
  acceptResponseSchema,
  chatParams,
  createOfferSchema,
  listQuerySchema,
  MENSAJE_ACEPTADA,
  ofertaReadSchema,
} from "../marketplace-schemas.ts";
import { type OfferFilter, type PaymentLinker, readOffer, readOffers } from "../marketplace-views.ts";
import { answerOffer, createOffer, hireService, type OfferDeps } from "../offers.ts";
import { requireClientOf } from "./client-only.ts";

/**
 * Offers on every path the clients call (compatibility.md rows 33–42), one implementation each:
 * create (professional), lists (mine as client, as professional, as either, of a chat), detail,
 * accept / reject (the addressed client), withdraw (the professional), and hiring a published
 * service. Responses are the OfertaRead superset (C3); accepting answers the C2 superset.
 */
const offerParams = idParamsFor("Oferta no encontrada");
const serviceParams = idParamsFor("Servicio no encontrado");
const offerList = z.array(ofertaReadSchema);
const notFound = json(errorSchema, "Oferta no encontrada");
const forbidden = json(errorSchema, "Esta oferta no te pertenece");
const wrongState = json(
  errorSchema,
  "The offer is not OFERTADO (detail names its state; EXPIRADO when past due)",
);

export function registerOfferRoutes(
  app: ServiceApp,
  platform: ChatOffersPlatform,
  deps: OfferDeps,
  link: PaymentLinker,
) {
  const { db } = platform;
  const render = async (user: AuthUser, id: string) => {
    const offer = await db.asUser(user, (tx) => readOffer(tx, id));
    if (!offer) throw new AppError("not_found", "Oferta no encontrada");
    return offer;
  };
  /** The accept answer: the offer (flat and nested), its job and where to pay it. */
  const accepted = async (user: AuthUser, ofertaId: string, trabajoId: string) => {
    const oferta = await render(user, ofertaId);
    const [pref] = await db.asUser(user, (tx) =>
      tx<{ preference_id: string }[]>`
        select preference_id from public.pago_preferencias where trabajo_id = ${trabajoId}`);
    return {
      ...oferta,
      oferta,
      trabajo_id: trabajoId,
      payment_preference_id: pref?.preference_id ?? null,
      payment_url: await link({ id: trabajoId, cliente_id: oferta.cliente_id }),
      mensaje: MENSAJE_ACEPTADA,
    };
  };

  for (const path of ["/professional/ofertas", "/chat_ofertas/ofertas", "/ofertas"]) {
    app.openapi(
      createRoute({
        method: "post",
        path,
        summary: "Send an offer to the client of one of my chats (card posted into the chat)",
        ...platform.access(["PROFESIONAL"]),
        request: { body: jsonBody(createOfferSchema) },
        responses: {
          201: json(ofertaReadSchema, "The offer (OFERTADO)"),
          400: json(errorSchema, "The client is not the chat's / expiry in the past"),
          404: json(errorSchema, "Chat no encontrado (not one of mine)"),
        },
      }),
      async (c) => {
        const id = await createOffer(deps, c.var.user, c.req.valid("json"));
        return c.json(await render(c.var.user, id), 201);
      },
    );
  }

  const lists: { path: string; filter: OfferFilter["kind"]; pro?: true; summary: string }[] = [
    { path: "/professional/ofertas", filter: "profesional", pro: true, summary: "Offers I sent" },
    { path: "/cliente/ofertas", filter: "cliente", summary: "Offers I received, newest first" },
    { path: "/chat_ofertas/ofertas", filter: "party", summary: "My offers as client or professional" },
    { path: "/ofertas", filter: "party", summary: "My offers as client or professional" },
  ];
  for (const { path, filter, pro, summary } of lists) {
    app.openapi(
      createRoute({
        method: "get",
        path,
        summary: `${summary} (bare array; \`page\`/\`limit\` ≤ 100; X-Total-Count)`,
        ...platform.access(pro ? ["PROFESIONAL"] : "signed-in"),
        request: { query: listQuerySchema },
        responses: { 200: json(offerList, "Offers, newest first") },
      }),
      async (c) => {
        const me = c.var.user.id;
        const page = c.req.valid("query");
        const { items, total } = await db.asUser(
          c.var.user,
          (tx) => readOffers(tx, { kind: filter, me } as OfferFilter, page),
        );
        c.header("X-Total-Count", String(total));
        return c.json(items, 200);
      },
    );
  }

  app.openapi(
    createRoute({
      method: "get",
      path: "/chat_ofertas/ofertas/chat/{chat_id}",
      summary: "Offers of one of my chats (participants only)",
      ...platform.access("signed-in"),
      request: { params: chatParams, query: listQuerySchema },
      responses: {
        200: json(offerList, "Offers, newest first"),
        404: json(errorSchema, "Chat no encontrado"),
      },
    }),
    async (c) => {
      const me = c.var.user.id;
      const { chat_id } = c.req.valid("param");
      const page = c.req.valid("query");
      const { items, total } = await db.asUser(c.var.user, async (tx) => {
        const [chat] = await tx`select id from public.chats
          where id = ${chat_id} and (cliente_id = ${me} or profesional_id = ${me})`;
        if (!chat) throw chatNotFound();
        return await readOffers(tx, { kind: "chat", chatId: chat_id, me }, page);
      });
      c.header("X-Total-Count", String(total));
      return c.json(items, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/cliente/ofertas/{id}",
      summary: "One offer addressed to me (404 → 403 for anyone else)",
      ...platform.access("signed-in"),
      request: { params: offerParams },
      responses: { 200: json(ofertaReadSchema, "The offer"), 403: forbidden, 404: notFound },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      await requireClientOf(db, c.var.user, { table: "ofertas", id }, {
        notFound: "Oferta no encontrada",
        forbidden: "Esta oferta no te pertenece",
      });
      return c.json(await render(c.var.user, id), 200);
    },
  );

  for (const path of ["/chat_ofertas/ofertas/{id}", "/ofertas/{id}"]) {
    app.openapi(
      createRoute({
        method: "get",
        path,
        summary: "One offer of mine, as client or professional (admins: any)",
        ...platform.access("signed-in"),
        request: { params: offerParams },
        responses: { 200: json(ofertaReadSchema, "The offer"), 404: notFound },
      }),
      async (c) => c.json(await render(c.var.user, c.req.valid("param").id), 200),
    );
  }

  for (
    const { method, path } of [
      { method: "post", path: "/cliente/ofertas/{id}/accept" },
      { method: "put", path: "/chat_ofertas/ofertas/{id}/accept" },
      { method: "put", path: "/ofertas/{id}/accept" },
    ] as const
  ) {
    app.openapi(
      createRoute({
        method,
        path,
        summary: "Accept an offer addressed to me: the job is created (PENDIENTE_PAGO); pay at payment_url",
        ...platform.access("signed-in"),
        request: { params: offerParams },
        responses: {
          200: json(acceptResponseSchema, "Accepted"),
          400: wrongState,
          403: forbidden,
          404: notFound,
        },
      }),
      async (c) => {
        const { id } = c.req.valid("param");
        const { trabajoId } = await answerOffer(deps, c.var.user, id, "accept");
        return c.json(await accepted(c.var.user, id, trabajoId!), 200);
      },
    );
  }

  for (
    const path of [
      "/cliente/ofertas/{id}/reject",
      "/chat_ofertas/ofertas/{id}/reject",
      "/ofertas/{id}/reject",
    ]
  ) {
    app.openapi(
      createRoute({
        method: "post",
        path,
        summary: "Reject an offer addressed to me",
        ...platform.access("signed-in"),
        request: { params: offerParams },
        responses: {
          200: json(ofertaReadSchema, "RECHAZADO"),
          400: wrongState,
          403: forbidden,
          404: notFound,
        },
      }),
      async (c) => {
        const { id } = c.req.valid("param");
        await answerOffer(deps, c.var.user, id, "reject");
        return c.json(await render(c.var.user, id), 200);
      },
    );
  }

  for (
    const { method, path } of [
      { method: "delete", path: "/chat_ofertas/ofertas/{id}" },
      { method: "post", path: "/professional/ofertas/{id}/retirar" },
    ] as const
  ) {
    app.openapi(
      createRoute({
        method,
        path,
        summary: "Withdraw an unanswered offer I sent (RETIRADO)",
        ...platform.access(["PROFESIONAL"]),
        request: { params: offerParams },
        responses: {
          200: json(ofertaReadSchema, "RETIRADO"),
          400: wrongState,
          403: json(errorSchema, "Not the professional who sent it"),
          404: notFound,
        },
      }),
      async (c) => {
        const { id } = c.req.valid("param");
        await answerOffer(deps, c.var.user, id, "withdraw");
        return c.json(await render(c.var.user, id), 200);
      },
    );
  }

  app.openapi(
    createRoute({
      method: "post",
      path: "/cliente/servicios/{id}/contratar",
      summary: "Hire a published service: an accepted offer at its price, the job and payment_url",
      ...platform.access(["CLIENTE"]),
      request: { params: serviceParams },
      responses: {
        200: json(acceptResponseSchema, "Hired (answered like accepting an offer)"),
        400: json(errorSchema, "My own service / professional not available"),
        404: json(errorSchema, "Servicio no encontrado"),
      },
    }),
    async (c) => {
      const { ofertaId, trabajoId } = await hireService(deps, c.var.user, c.req.valid("param").id);
      return c.json(await accepted(c.var.user, ofertaId, trabajoId), 200);
    },
  );
}
