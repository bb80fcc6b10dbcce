import assert from "node:assert/strict";
import { CONTACT_MARKER, type ContactReason, maskContacts, MAX_MESSAGE_LENGTH } from "./contact-masking.ts";

type Positive = { text: string; reasons: ContactReason[]; hidden: string[] };

// `hidden`: fragments of the contact that must be gone from the masked text (compared case-insensitively).
const POSITIVES: Positive[] = [
  // Phones
  { text: "mi cel es +54 9 11 5555-4444", reasons: ["phone"], hidden: ["+54", "5555", "4444"] },
  { text: "+5491155554444", reasons: ["phone"], hidden: ["5491155554444"] },
  { text: "llamame al 011 4555-6666", reasons: ["phone"], hidden: ["011", "4555", "6666"] },
  { text: "11-5555-4444", reasons: ["phone"], hidden: ["5555", "4444"] },
  { text: "15-5555-4444 es mi celu", reasons: ["phone"], hidden: ["15-", "5555", "4444"] },
  { text: "(011) 4555 6666", reasons: ["phone"], hidden: ["(", "011", "4555", "6666"] },
  { text: "estoy en Córdoba, 0351 155 123456", reasons: ["phone"], hidden: ["0351", "155", "123456"] },
  { text: "11 55 55 44 44", reasons: ["phone"], hidden: ["55 55", "44 44"] },
  { text: "11.5555.4444", reasons: ["phone"], hidden: ["5555", "4444"] },
  {
    text: "once cinco cinco cinco cinco cuatro cuatro cuatro cuatro",
    reasons: ["phone"],
    hidden: ["once", "cinco", "cuatro"],
  },
  {
    text: "uno uno cinco cinco cinco cinco cuatro cuatro cuatro cuatro",
    reasons: ["phone"],
    hidden: ["uno", "cinco", "cuatro"],
  },
  { text: "11 5555 44 44", reasons: ["phone"], hidden: ["5555", "44 44"] },
  { text: "1 1 5 5 5 5 4 4 4 4", reasons: ["phone"], hidden: ["5 5", "4 4"] },
  {
    text: "llamame al 11 5555-4444 o escribime a juan@mail.com",
    reasons: ["phone", "email"],
    hidden: ["5555", "4444", "juan@", "mail.com"],
  },
  { text: "mi número es 1155554444", reasons: ["phone"], hidden: ["1155554444"] },
  {
    text: "cincuenta y cinco cincuenta y cinco cuarenta y cuatro cuarenta y cuatro",
    reasons: ["phone"],
    hidden: ["cincuenta", "cuarenta"],
  },
  { text: "escribime al 11 cinco cinco cinco cinco 44 44", reasons: ["phone"], hidden: ["cinco", "44"] },
  { text: "llamame al 4555-6666 después de las 18", reasons: ["phone"], hidden: ["4555", "6666"] },
  { text: "Tel: (0341) 15-456-7890", reasons: ["phone"], hidden: ["0341", "456", "7890"] },
  { text: "mi celu 11 6789 0123, llamame después de las 18", reasons: ["phone"], hidden: ["6789", "0123"] },
  { text: "Mi celular: 221-155-123456", reasons: ["phone"], hidden: ["221", "123456"] },
  { text: "llamame! 11-4444-3333!!", reasons: ["phone"], hidden: ["4444", "3333"] },
  { text: "１１５５５５４４４４ (escribime)", reasons: ["phone"], hidden: ["５５５５"] },
  { text: "11\u200b5555\u200b4444", reasons: ["phone"], hidden: ["5555", "4444"] },
  { text: "Cuatro tres cinco cinco, seis siete ocho nueve", reasons: ["phone"], hidden: ["tres", "nueve"] },
  // E-mails
  { text: "escribime a juan@mail.com", reasons: ["email"], hidden: ["juan@mail.com"] },
  { text: "juan @ mail . com", reasons: ["email"], hidden: ["juan", "mail"] },
  { text: "juan arroba mail punto com", reasons: ["email"], hidden: ["juan", "arroba", "mail", "punto com"] },
  { text: "juan[at]mail[dot]com", reasons: ["email"], hidden: ["juan", "mail", "[dot]com"] },
  { text: "juan (at) gmail.com", reasons: ["email"], hidden: ["juan", "gmail.com"] },
  { text: "mi mail es Juan.Perez@Empresa.com.ar", reasons: ["email"], hidden: ["juan.perez", "empresa"] },
  { text: "mandame un correo a juanperez arroba gmail", reasons: ["email"], hidden: ["juanperez", "gmail"] },
  { text: "ÉRIKA.GÓMEZ@HOTMAIL.COM", reasons: ["email"], hidden: ["érika", "hotmail"] },
  {
    text: "el email de la empresa es info@empresa.com.ar, escribile",
    reasons: ["email"],
    hidden: ["info@", "empresa.com"],
  },
  // Links
  {
    text: "mirá mis trabajos en https://mipagina.com/trabajos",
    reasons: ["link"],
    hidden: ["mipagina", "https"],
  },
  { text: "entrá a www.mipagina.com.ar.", reasons: ["link"], hidden: ["www", "mipagina"] },
  { text: "mipagina.com.ar tiene todo", reasons: ["link"], hidden: ["mipagina"] },
  { text: "escribime por wa.me/5491155554444", reasons: ["link"], hidden: ["wa.me", "5491155554444"] },
  { text: "t.me/juanperez", reasons: ["link"], hidden: ["juanperez"] },
  { text: "instagram.com/juanperez", reasons: ["link"], hidden: ["juanperez"] },
  { text: "facebook.com/juan.perez.123", reasons: ["link"], hidden: ["juan.perez"] },
  { text: "www punto mipagina punto com", reasons: ["link"], hidden: ["mipagina"] },
  // Handles and messengers
  { text: "seguime en @juanperez", reasons: ["handle"], hidden: ["@juanperez"] },
  { text: "mi insta es juanperez", reasons: ["handle"], hidden: ["juanperez"] },
  { text: "ig: juan.perez", reasons: ["handle"], hidden: ["juan.perez"] },
  { text: "pasame tu whatsapp", reasons: ["handle"], hidden: ["whatsapp"] },
  { text: "hablemos por Telegram", reasons: ["handle"], hidden: ["telegram"] },
  { text: "buscame en instagram como juanperez", reasons: ["handle"], hidden: ["juanperez"] },
  { text: "mi face es juan.perez.77", reasons: ["handle"], hidden: ["juan.perez"] },
  { text: "tiktok @juan_trabajos", reasons: ["handle"], hidden: ["juan_trabajos"] },
  { text: "mandame por wsp", reasons: ["handle"], hidden: ["wsp"] },
  { text: "mi insta es arroba juanperez", reasons: ["handle"], hidden: ["arroba", "juanperez"] },
  { text: "ig @juanperez.arq", reasons: ["handle"], hidden: ["juanperez"] },
  // Bank details
  { text: "mi CBU es 0000003100012345678901", reasons: ["bank"], hidden: ["0000003100012345678901"] },
  { text: "CVU 0000 0031 0001 2345 6789 01", reasons: ["bank"], hidden: ["0031", "6789"] },
  { text: "cbu: 0000003-1000123456-78901", reasons: ["bank"], hidden: ["1000123456"] },
  { text: "alias: juan.perez.mp", reasons: ["bank"], hidden: ["juan.perez.mp"] },
  { text: "mi alias es casa.perro.sol", reasons: ["bank"], hidden: ["casa.perro.sol"] },
  {
    text: "transferime al alias casa punto perro punto sol",
    reasons: ["bank"],
    hidden: ["casa", "perro", "sol"],
  },
  { text: "Mi alias de MP es trabajos.juan.88", reasons: ["bank"], hidden: ["trabajos.juan.88"] },
  // Several at once
  {
    text: "dale, mi whatsapp es 11 5555 4444 y mi mail juan@mail.com",
    reasons: ["phone", "email", "handle"],
    hidden: ["whatsapp", "5555", "juan@mail.com"],
  },
];

const NEGATIVES: string[] = [
  // Prices
  "el presupuesto es $ 15.000",
  "$15000 por el trabajo",
  "15.000 pesos con materiales",
  "ARS 25.500,50 final",
  "2 x 1500",
  "te lo dejo en 15.500 pesos",
  "precio final: $ 1.234.567,89",
  "el edificio entero sale 1.200.000.000",
  "opciones: 15000 20000 25000",
  "usd 1200 1500 1800",
  "son 3 cuotas de 5000",
  "entre 4500 y 6000 según el material",
  "te cobro 1500 la hora y 2000 los materiales",
  "es un 2 x 1 en mano de obra",
  "te hago un 10% de descuento",
  // Dates and times
  "el 15/12/2026 estoy libre",
  "el 3 de marzo a las 14:30",
  "paso a las 14hs",
  "voy el 12/03 a las 9:30 y termino el 14/03",
  "hoy a las 14.30 hs",
  "trabajo de 8 a 17 hs",
  "turnos disponibles 9 10 11 12 14 15 16",
  "a las 5 en punto",
  "lo compré en 2019",
  // Addresses
  "Av. Corrientes 1234, piso 5",
  "Calle 50 nro 1234",
  "piso 12 depto 4, CP 1414",
  "el depto 4B, timbre 12",
  // Quantities, measures, models, ids
  "tengo 3 hijos",
  "son 20 m2",
  "3 ambientes",
  "medidas 2,40 x 1,80",
  "medí 240 x 180 cm",
  "la medida es 1,20 x 2,10 x 0,60",
  "modelo 2020",
  "modelos 2020 2021 2022",
  "caldera de 24000 kcal",
  "aire de 3000 frigorías",
  "la cañería es de 3/4 pulgada",
  "la garantía es de 12 meses",
  "necesito 4 enchufes, 2 llaves y 10 metros de cable",
  "mi DNI es 30123456",
  "el número de pedido es 12345678",
  "CUIT del cliente 20-12345678-9",
  // Words around contact details without a value
  "te paso el teléfono cuando pagues",
  "mandame un correo cuando puedas",
  "el teléfono no anda, llamé al técnico",
  "nos vemos @ las 5",
  "la arroba de papas está cara",
  "el punto de encuentro es la plaza",
  "bueno.nos vemos mañana",
  "ok.me voy",
  "lo vi en instagram ayer",
  "vi tus trabajos en instagram, están buenísimos",
  "seguime en insta que subo fotos",
  "el alias es correcto?",
  "pasame tu alias y te transfiero",
  "te mando el CBU por acá cuando confirmes",
  "la instalación lleva 2 días",
  "hola, ¿cómo estás? ¿podés el martes?",
  "hola @todos, ¿cómo va?",
  "calle 9 de julio 1234 entre 5 y 6, La Plata",
  "presupuesto:\n- mano de obra $ 45.000\n- materiales 30.000",
  "Hola Juan, te escribo por el presupuesto del baño. Serían 3 días de trabajo, $ 250.000 con materiales. " +
  "¿Te parece bien el lunes 10/03 a las 8?",
];

Deno.test("the tables hold at least 45 positive and 45 negative examples", () => {
  assert.ok(POSITIVES.length >= 45, `${POSITIVES.length} positives`);
  assert.ok(NEGATIVES.length >= 45, `${NEGATIVES.length} negatives`);
});

for (const { text, reasons, hidden } of POSITIVES) {
  Deno.test(`masks ${reasons.join(" + ")} in "${text}"`, () => {
    const result = maskContacts(text);
    assert.equal(result.censored, true);
    assert.deepEqual(result.reasons, reasons);
    assert.ok(result.text.includes(CONTACT_MARKER), result.text);
    for (const fragment of hidden) {
      assert.ok(
        !result.text.toLowerCase().includes(fragment.toLowerCase()),
        `"${fragment}" in "${result.text}"`,
      );
    }
  });
}

for (const text of NEGATIVES) {
  Deno.test(`leaves "${text}" unchanged`, () => {
    assert.deepEqual(maskContacts(text), { text, censored: false, reasons: [] });
  });
}

Deno.test("masking keeps the original wording, case, accents and emoji around the contact", () => {
  assert.equal(
    maskContacts("👋 Hola JUÁN, llamame al 11 5555-4444 mañana 😀").text,
    `👋 Hola JUÁN, llamame al ${CONTACT_MARKER} mañana 😀`,
  );
  assert.equal(
    maskContacts("Mi Insta es JuanPérez, pasá").text,
    `Mi Insta es ${CONTACT_MARKER}, pasá`,
  );
});

Deno.test("a link that contains a phone is reported once, as a link", () => {
  const result = maskContacts("wa.me/5491155554444 o al 11 4444 3333");
  assert.deepEqual(result.reasons, ["phone", "link"]);
  assert.equal(result.text, `${CONTACT_MARKER} o al ${CONTACT_MARKER}`);
});

Deno.test("the same message masks the same way every time (no regex state between calls)", () => {
  for (let i = 0; i < 3; i++) assert.deepEqual(maskContacts("juan@mail.com").reasons, ["email"]);
});

Deno.test("messages longer than the limit are refused", () => {
  assert.throws(() => maskContacts("a".repeat(MAX_MESSAGE_LENGTH + 1)), RangeError);
  assert.equal(maskContacts("a".repeat(MAX_MESSAGE_LENGTH)).censored, false);
});

Deno.test("adversarial 2000-character messages finish quickly", () => {
  const inputs = [
    "1 ".repeat(1000),
    "a@".repeat(1000),
    "a.".repeat(1000),
    "@a".repeat(1000),
    "1-".repeat(1000),
    "a ".repeat(1000),
    "arroba punto ".repeat(153),
    "cinco y ".repeat(250),
    "ig: ".repeat(500),
    "alias ".repeat(333),
    "x".repeat(2000),
    "juan@".repeat(400),
    "a-".repeat(1000),
    ("a".repeat(63) + ".").repeat(31),
  ];
  for (const input of inputs) {
    const started = performance.now();
    maskContacts(input.slice(0, MAX_MESSAGE_LENGTH));
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 200, `${elapsed.toFixed(1)} ms for "${input.slice(0, 20)}…"`);
  }
});
