// SPDX-License-Identifier: GPL-3.0-or-later
//
// Browser test of the staff admin UI (docs/admin.md), TAP output, run by
// tests/admin.sh when node, Chromium and the node modules of tests/browser
// are there.  Playwright (playwright-core) drives Debian's Chromium: the
// login by keyboard alone (skip link, labelled fields, Enter), a wrong
// password showing the error summary that takes the focus to the field,
// the queue, an upload with its original file in the frame (the frame's
// document is the file, sandboxed), the document page and the audit log;
// axe-core must report zero violations (WCAG 2.1 A/AA and best practices)
// on every admin page in vi, en and zh; logout by keyboard.
//
// Environment: VB_BASE (vanband), VB_LOGIN / VB_PASSWORD (an editor),
// VB_UPLOAD (an upload of the editor's portal, still open), VB_DOC (a
// document of that portal), VB_CHROMIUM, VB_NODE_MODULES, VB_SCREENSHOTS
// (directory for the PNGs; none when unset).

import { mkdtempSync, readFileSync, rmSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const modules = process.env.VB_NODE_MODULES || join(here, "node_modules");
const require = createRequire(join(modules, "..", "package.json"));
const { chromium } = require(join(modules, "playwright-core"));
const axeSource = readFileSync(require.resolve(join(modules, "axe-core", "axe.min.js")), "utf8");

const BASE = process.env.VB_BASE;
const LOGIN = process.env.VB_LOGIN;
const PASSWORD = process.env.VB_PASSWORD;
const UPLOAD = process.env.VB_UPLOAD;
const DOC = process.env.VB_DOC;
const SHOTS = process.env.VB_SCREENSHOTS || "";

let n = 0, failed = 0;
function ok(cond, desc, diag) {
	n++;
	if (!cond) failed++;
	console.log(`${cond ? "ok" : "not ok"} ${n} - ${desc}`);
	if (!cond && diag !== undefined)
		for (const line of String(diag).split("\n")) console.log(`#   ${line}`);
	return cond;
}
const is = (got, want, desc) => ok(got === want, desc, `got:  ${JSON.stringify(got)}\nwant: ${JSON.stringify(want)}`);

if (!BASE || !LOGIN || !PASSWORD || !UPLOAD || !DOC) {
	console.log("Bail out! VB_BASE, VB_LOGIN, VB_PASSWORD, VB_UPLOAD and VB_DOC are needed");
	process.exit(1);
}

const profile = mkdtempSync(join(tmpdir(), "vanban-admin-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
	executablePath: process.env.VB_CHROMIUM || "/usr/bin/chromium",
	headless: true,
	bypassCSP: true, // to inject axe-core (the admin CSP allows no script)
	locale: "vi-VN",
	viewport: { width: 1280, height: 900 },
	args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

async function shot(page, name) {
	if (!SHOTS) return;
	mkdirSync(SHOTS, { recursive: true });
	await page.screenshot({ path: join(SHOTS, name), fullPage: false });
}

async function axe(page, desc) {
	await page.addScriptTag({ content: axeSource });
	const res = await page.evaluate(async () =>
		await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } }));
	const v = res.violations;
	ok(v.length === 0, `axe-core: no violations on ${desc}`,
		v.map((x) => `${x.id} (${x.impact}): ${x.help} — ${x.nodes.slice(0, 3).map((nd) => nd.target.join(" ")).join(" | ")}`).join("\n"));
}

const focusedId = (page) => page.evaluate(() => document.activeElement ? (document.activeElement.id || document.activeElement.tagName.toLowerCase()) : "");

try {
	const page = await context.newPage();
	const scriptErrors = [];
	page.on("pageerror", (e) => scriptErrors.push(String(e)));

	// --- login by keyboard ---
	let resp = await page.goto(`${BASE}/admin`);
	ok(page.url().startsWith(`${BASE}/admin/login?next=`), "an anonymous /admin goes to the login form", page.url());
	is(resp.headers()["cache-control"], "no-store", "the login form is not stored");
	await axe(page, "the login form (vi)");
	await page.keyboard.press("Tab");
	is(await page.evaluate(() => document.activeElement.className), "skip", "the first Tab reaches the skip link");
	await page.keyboard.press("Enter");
	await page.keyboard.press("Tab");
	// the language links come before main; Tab until the login field
	for (let i = 0; i < 8 && (await focusedId(page)) !== "login"; i++) await page.keyboard.press("Tab");
	is(await focusedId(page), "login", "the keyboard reaches the login field");
	await page.keyboard.type(LOGIN);
	await page.keyboard.press("Tab");
	is(await focusedId(page), "password", "Tab goes on to the password");
	await page.keyboard.type("not-the-password-1");
	await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
	ok(await page.locator(".error-summary").count() === 1, "a wrong password shows the error summary");
	await axe(page, "the login form with its error summary");
	await page.locator(".error-summary a").first().focus();
	await page.keyboard.press("Enter");
	is(await focusedId(page), "login", "the summary's link takes the focus to the field");
	await page.fill("#password", PASSWORD);
	await Promise.all([page.waitForNavigation(), page.press("#password", "Enter")]);
	is(new URL(page.url()).pathname, "/admin", "logged in: the queue");
	await shot(page, "admin-queue-vi.png");

	// --- pages, three languages, axe-core ---
	const pages = [["/admin", "the queue"], [`/admin/uploads/${UPLOAD}`, "an upload"],
		[`/admin/documents/${DOC}`, "a document"], [`/admin/audit?document=${DOC}`, "the audit log"],
		["/admin/tokens", "the tokens"], ["/admin/report", "the report form"]];
	for (const lang of ["vi", "en", "zh"]) {
		for (const [p, desc] of pages) {
			resp = await page.goto(`${BASE}${p}${p.includes("?") ? "&" : "?"}lang=${lang}`);
			is(resp.status(), 200, `${desc} (${lang}) answers 200`);
			is(await page.getAttribute("html", "lang"), lang, `${desc} (${lang}) has lang="${lang}"`);
			await axe(page, `${desc} (${lang})`);
		}
	}

	// --- the upload beside its file ---
	await page.goto(`${BASE}/admin/uploads/${UPLOAD}?lang=en`);
	const frame = page.frameLocator("iframe.original");
	const text = await frame.locator("body").innerText({ timeout: 10000 }).catch(() => "");
	ok(text.length > 0, "the original file is shown in the frame", text.slice(0, 80));
	ok(await page.locator("label[for=f-number]").count() === 1, "every metadata input has its label");
	await shot(page, "admin-upload-en.png");

	// --- logout by keyboard ---
	await page.locator("form.logout button").focus();
	await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
	ok(new URL(page.url()).pathname === "/admin/login", "logout leads to the login form", page.url());
	resp = await page.goto(`${BASE}/admin`);
	ok(page.url().startsWith(`${BASE}/admin/login`), "after logout /admin asks for a login again", page.url());
	is(scriptErrors.length, 0, "no script error on any page");
} catch (e) {
	ok(false, "the admin browser test ran to the end", e && e.stack ? e.stack : String(e));
} finally {
	await context.close();
	rmSync(profile, { recursive: true, force: true });
}
console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
