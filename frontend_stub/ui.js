// Small helpers shared by the pages: elements, times in Asia/Shanghai, bars, messages, sign-in.

import { ApiError, takeTokenFromAddress, token } from "./api.js";

export const TIME_ZONE = "Asia/Shanghai"; // the program's time zone: rules are judged in it

// Labels of the API's enums; pages switch on the values, people read these.
export const STAGES = { HIGH: "高中", JUNIOR: "初中", PRIMARY: "小学", KINDERGARTEN: "幼儿园", VOCATIONAL: "职业中学" };
export const TRACKS = { NETWORK: "网络学习", TRANSITIONAL: "过渡学习" };
export const SUBMISSION_STATUS = { SUBMITTED: "待批改", RETURNED: "退回修改", GRADED: "已批改" };
export const LEVELS = { EXCELLENT: "优秀", GOOD: "良好", PASS: "合格", FAIL: "不合格" };

/** h("p", { class: "x" }, "text", child) → an element. Text is always set as text, never HTML. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (value !== false && value != null) element.setAttribute(name, value);
  }
  element.append(...children.flat().filter((c) => c != null && c !== false));
  return element;
}

export const $ = (id) => document.getElementById(id);

/** Replaces the content of the element with this id. */
export function show(id, ...children) {
  $(id).replaceChildren(...children.flat().filter((c) => c != null && c !== false));
}

const localFormat = new Intl.DateTimeFormat("zh-CN", {
  timeZone: TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hour12: false,
});

/** "2012/04/27 10:00" in Shanghai, whatever the device's time zone. */
export const localTime = (iso) => (iso ? localFormat.format(new Date(iso)) : "—");

/** "3天 04:05:06" */
export function duration(ms) {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const two = (n) => String(n).padStart(2, "0");
  const clock = [Math.floor(seconds / 3600) % 24, Math.floor(seconds / 60) % 60, seconds % 60];
  const days = Math.floor(seconds / 86400);
  return (days ? `${days}天 ` : "") + clock.map(two).join(":");
}

/** The server's clock: the demo runs in 2012, and devices drift. Call sync() with `serverTime`. */
export const serverClock = {
  offset: 0,
  sync(serverTime) {
    this.offset = new Date(serverTime).getTime() - Date.now();
  },
  now() {
    return Date.now() + this.offset;
  },
};

/** A labelled bar: value of max, e.g. online 2.5 of 6 hours. */
export function bar(label, value, max, unit = "学时") {
  const percent = max ? Math.min(100, (value / max) * 100) : 0;
  return h(
    "div",
    { class: "bar" },
    h("div", { class: "bar-label" }, label, h("span", {}, `${value.toFixed(1)} / ${max} ${unit}`)),
    h(
      "div",
      { class: "bar-track", role: "progressbar", "aria-valuemin": 0, "aria-valuemax": max, "aria-valuenow": value },
      h("div", { class: percent >= 100 ? "bar-fill done" : "bar-fill", style: `width:${percent}%` }),
    ),
  );
}

/** Shows messages: userErrors of a payload, or an ApiError. */
export function report(problem) {
  const box = $("messages");
  const lines = Array.isArray(problem)
    ? problem.map((e) => `${e.message}（${e.code}）`)
    : [problem instanceof ApiError && problem.code ? `${problem.message}（${problem.code}）` : String(problem.message ?? problem)];
  box.replaceChildren(...lines.map((line) => h("p", { class: "error" }, line)));
  box.hidden = lines.length === 0;
}

export function notice(text) {
  const box = $("messages");
  box.replaceChildren(h("p", { class: "notice" }, text));
  box.hidden = false;
}

export const clearMessages = () => report([]);

/** The token form in the header; calls `load` once a token is there. */
export function signIn(load) {
  takeTokenFromAddress();
  const input = $("token");
  input.value = token.get() ?? "";
  $("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    token.set(input.value);
    load();
  });
  $("sign-out").addEventListener("click", () => {
    token.clear();
    location.reload();
  });
  if (token.get()) load();
  else notice("请粘贴令牌（lms-plugin serve --demo 打印的 token）。");
}
