/**
 * The one script of auth's e-mail pages (static, so the CSP can allow it by hash). It takes the
 * token from the address bar and removes it from there (history, screenshots), then talks to the
 * API's existing routes on this origin — `POST …/auth/reset-password`, `…/auth/forgot-password`,
 * `…/auth/verify-email` — whatever prefix the page was served under (`/`, `/api/v1/`,
 * `/functions/v1/gateway/`, or the auth function's own URL), and shows the matching section.
 */
export const PAGE_SCRIPT = `(() => {
  const main = document.querySelector("main");
  const params = new URLSearchParams(location.search);
  const token = params.get("token") || "";
  if (params.has("token")) history.replaceState(null, "", location.pathname);
  const base = location.pathname.replace(/\\/(reset-password|verify-email)\\/?$/, "");
  const show = (state) => {
    main.dataset.state = state;
    for (const el of document.querySelectorAll("[data-for]")) {
      el.hidden = !el.dataset.for.split(" ").includes(state);
    }
    const heading = document.querySelector("[data-for]:not([hidden]) h1");
    if (heading) heading.focus();
  };
  const post = async (path, body) => {
    try {
      const response = await fetch(base + path, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify(body),
        credentials: "omit",
        referrerPolicy: "no-referrer",
      });
      const data = await response.json().catch(() => ({}));
      // A 422 reads "Datos inválidos — new_password: <why>": the person needs only the why.
      const detail = typeof data.detail === "string" ? data.detail.replace(/^Datos inválidos — [\\w.]+: /, "") : "";
      return { status: response.status, detail };
    } catch {
      return { status: 0, detail: "" };
    }
  };
  const fail = (form, text) => {
    const error = form.querySelector(".error");
    error.textContent = text;
    error.hidden = false;
  };
  const busy = (form, on) => {
    form.querySelector("button").disabled = on;
    if (on) form.querySelector(".error").hidden = true;
  };
  const later = "No pudimos hacerlo ahora. Probá de nuevo en unos minutos.";

  const request = document.getElementById("request-form");
  if (request) {
    request.addEventListener("submit", async (event) => {
      event.preventDefault();
      busy(request, true);
      const result = await post("/auth/forgot-password", { email: request.elements.email.value });
      busy(request, false);
      if (result.status === 200) show("requested");
      else fail(request, result.detail || later);
    });
  }

  const reset = document.getElementById("reset-form");
  if (reset) {
    reset.addEventListener("submit", async (event) => {
      event.preventDefault();
      const password = reset.elements.password.value;
      if (password !== reset.elements.confirm.value) return fail(reset, "Las contraseñas no coinciden.");
      busy(reset, true);
      const result = await post("/auth/reset-password", { token, new_password: password });
      busy(reset, false);
      if (result.status === 200) show("done");
      else if (result.status === 400) show("gone");
      else fail(reset, result.detail || later);
    });
  }

  if (main.dataset.page === "verify" && main.dataset.state === "checking") {
    post("/auth/verify-email", { token }).then((result) => {
      if (result.status === 200) return show("done");
      if (result.status === 400) return show("gone");
      document.getElementById("verify-error").textContent = result.detail || later;
      show("error");
    });
  }
})();`;
