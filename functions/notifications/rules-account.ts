import { type Draft, field, fullName, ids, required, type Rule } from "./rule-kit.ts";

/** Account events (auth, users, professionals' KYC): category `cuenta`, not configurable. */

const userId = (payload: Record<string, unknown>, aggregateId: string) =>
  field(payload, "user_id", "usuario_id") ?? aggregateId;

/** user.registered `{user_id, rol?}` → welcome (in-app + e-mail). */
const welcome: Rule = async ({ event, payload, links, person }) => {
  const to = await person(userId(payload, event.aggregate_id));
  if (!to) return [];
  const professional = field(payload, "rol") === "PROFESIONAL";
  return [{
    to: to.id,
    tipo: "BIENVENIDA",
    categoria: "cuenta",
    titulo: "¡Te damos la bienvenida a ConectarProfesionales!",
    mensaje: professional
      ? "Tu cuenta de profesional está lista. Completá tu perfil y verificá tu identidad para empezar a recibir trabajos."
      : "Tu cuenta está lista. Buscá profesionales verificados cerca tuyo y contratalos con pago protegido.",
    channels: ["in_app", "email"],
    email: {
      subject: "Bienvenido a ConectarProfesionales",
      action: { label: "Ir a ConectarProfesionales", url: links.frontend },
    },
  }];
};

/** password.reset_requested `{user_id, token | reset_url}` → e-mail with the single-use link. */
const passwordReset: Rule = async ({ event, payload, links, person }) => {
  const to = await person(userId(payload, event.aggregate_id));
  const url = field(payload, "reset_url") ??
    `${links.passwordReset}?token=${encodeURIComponent(required(payload, "token", "reset_token"))}`;
  if (!to) return [];
  return [{
    to: to.id,
    tipo: "RESTABLECER_CONTRASENA",
    categoria: "cuenta",
    titulo: "Restablecé tu contraseña",
    mensaje:
      "Recibimos un pedido para restablecer la contraseña de tu cuenta. El enlace vence en una hora y " +
      "sirve una sola vez. Si no lo pediste vos, ignorá este correo: tu contraseña no cambia.",
    channels: ["email"],
    email: { action: { label: "Restablecer contraseña", url } },
    sensitive: true,
  }];
};

/** email.verification_requested `{user_id, token | verification_url}` → e-mail with the link. */
const verifyEmail: Rule = async ({ event, payload, links, person }) => {
  const to = await person(userId(payload, event.aggregate_id));
  const url = field(payload, "verification_url") ??
    `${links.emailVerification}?token=${
      encodeURIComponent(required(payload, "token", "verification_token"))
    }`;
  if (!to) return [];
  return [{
    to: to.id,
    tipo: "VERIFICAR_EMAIL",
    categoria: "cuenta",
    titulo: "Confirmá tu correo electrónico",
    mensaje: "Confirmá que esta dirección es tuya para terminar de configurar tu cuenta.",
    channels: ["email"],
    email: { action: { label: "Confirmar correo", url } },
    sensitive: true,
  }];
};

/** password.changed `{user_id}` → security notice (in-app + e-mail). */
const passwordChanged: Rule = async ({ event, payload, links, person }) => {
  const to = await person(userId(payload, event.aggregate_id));
  if (!to) return [];
  return [{
    to: to.id,
    tipo: "CONTRASENA_CAMBIADA",
    categoria: "cuenta",
    titulo: "Tu contraseña fue cambiada",
    mensaje: "La contraseña de tu cuenta se cambió y cerramos tus otras sesiones. Si no fuiste vos, " +
      "restablecé la contraseña de inmediato.",
    channels: ["in_app", "email"],
    // The reset page without a token asks for a new link (the frontend has no /forgot-password).
    email: { action: { label: "Restablecer contraseña", url: links.passwordReset } },
  }];
};

/**
 * auth.login_throttled `{user_id, bloqueado_hasta?}` → e-mail (and in-app): too many failed
 * passwords from many addresses blocked sign-in for a while; resetting the password lifts it.
 */
const loginThrottled: Rule = async ({ event, payload, links, person }) => {
  const to = await person(userId(payload, event.aggregate_id));
  if (!to) return [];
  const until = field(payload, "bloqueado_hasta");
  const time = until && !Number.isNaN(Date.parse(until))
    ? ` hasta las ${
      new Date(until).toLocaleTimeString("es-AR", {
        hour: "2-digit",
        minute: "2-digit",
        hour12: false,
        timeZone: "America/Argentina/Buenos_Aires",
      })
    } (hora de Argentina)`
    : "";
  return [{
    to: to.id,
    tipo: "INICIO_SESION_BLOQUEADO",
    categoria: "cuenta",
    titulo: "Bloqueamos temporalmente el inicio de sesión en tu cuenta",
    mensaje: "Hubo muchos intentos fallidos de entrar a tu cuenta con contraseñas equivocadas, desde " +
      `distintos lugares. Por seguridad, el inicio de sesión queda bloqueado${time}. Si no fuiste vos, ` +
      "alguien puede estar intentando adivinar tu contraseña: restablecerla levanta el bloqueo al instante.",
    channels: ["in_app", "email"],
    email: {
      subject: "Intentos fallidos de inicio de sesión en tu cuenta",
      action: { label: "Restablecer contraseña", url: links.passwordReset },
    },
  }];
};

/** user.banned `{user_id, motivo?}` → e-mail (they can no longer sign in to read it in-app). */
const banned: Rule = async ({ event, payload, person }) => {
  const to = await person(userId(payload, event.aggregate_id));
  if (!to) return [];
  const motivo = field(payload, "motivo", "reason");
  return [{
    to: to.id,
    tipo: "CUENTA_SUSPENDIDA",
    categoria: "cuenta",
    titulo: "Tu cuenta fue suspendida",
    mensaje: `Suspendimos tu cuenta de ConectarProfesionales${motivo ? ` (motivo: ${motivo})` : ""}. ` +
      "Si creés que es un error, respondé a este correo.",
    channels: ["email"],
  }];
};

/** kyc.submitted `{profesional_id, usuario_id?}` → the professional, and every admin to review. */
const kycSubmitted: Rule = async ({ event, payload, person, professionalAccount, admins }) => {
  const profileId = field(payload, "profesional_id") ?? event.aggregate_id;
  const pro = await person(field(payload, "usuario_id", "user_id") ?? await professionalAccount(profileId));
  const drafts: Draft[] = [];
  if (pro) {
    drafts.push({
      to: pro.id,
      tipo: "KYC_EN_REVISION",
      categoria: "cuenta",
      titulo: "Recibimos tu documentación",
      mensaje: "Estamos revisando tus documentos de verificación. Te avisamos apenas terminemos.",
      channels: ["in_app"],
      data: { profesional_id: profileId },
    });
  }
  for (const admin of await admins()) {
    drafts.push({
      to: admin.id,
      tipo: "KYC_PENDIENTE",
      categoria: "cuenta",
      titulo: "Nueva verificación pendiente",
      mensaje: `${fullName(pro, "Un profesional")} envió documentos de verificación para revisar.`,
      channels: ["in_app"],
      data: { profesional_id: profileId },
    });
  }
  return drafts;
};

/** kyc.approved / kyc.rejected `{profesional_id, usuario_id?, motivo?}` → the professional. */
function kycDecision(approved: boolean): Rule {
  return async ({ event, payload, person, professionalAccount, links }) => {
    const profileId = field(payload, "profesional_id") ?? event.aggregate_id;
    const pro = await person(field(payload, "usuario_id", "user_id") ?? await professionalAccount(profileId));
    if (!pro) return [];
    const motivo = field(payload, "motivo", "motivo_rechazo", "reason");
    return [{
      to: pro.id,
      tipo: approved ? "KYC_APROBADO" : "KYC_RECHAZADO",
      categoria: "cuenta",
      titulo: approved ? "¡Tu perfil fue verificado!" : "Tu verificación fue rechazada",
      mensaje: approved
        ? "Ya aparecés en las búsquedas y podés recibir ofertas de trabajo."
        : `${motivo ? `Motivo: ${motivo}. ` : ""}Podés corregir tu documentación y volver a enviarla.`,
      channels: ["in_app", "email", "push"],
      data: { ...ids(payload, "profesional_id"), profesional_id: profileId },
      email: { action: { label: "Ver mi perfil", url: links.frontend } },
    }];
  };
}

export const ACCOUNT_RULES: Readonly<Record<string, Rule>> = {
  "user.registered": welcome,
  "password.reset_requested": passwordReset,
  "email.verification_requested": verifyEmail,
  "password.changed": passwordChanged,
  "auth.login_throttled": loginThrottled,
  "user.banned": banned,
  "kyc.submitted": kycSubmitted,
  "kyc.approved": kycDecision(true),
  "kyc.rejected": kycDecision(false),
};
