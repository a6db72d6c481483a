// Public verification of an e-certificate by its code (R13): no sign-in; the code comes in the
// address's fragment (from the QR code), which no server log records.

import { gql, graphql } from "./api.js";
import { $, clearMessages, h, notice, report, show } from "./ui.js";

const VERIFY = gql`
  query VerifyCertificate($code: String!) {
    verifyCertificate(code: $code) { holderName year hours credits outcome grade issuer }
  }
`;

const OUTCOMES = { PASSED: "合格", FAILED: "不合格", EXEMPT: "免考核", ABSENT: "缺考" };
const GRADES = { PASS: "合格", EXCELLENT: "优" };

async function verify(code) {
  clearMessages();
  let data;
  try {
    data = await graphql(VERIFY, { code });
  } catch (error) {
    report(error);
    return;
  }
  const found = data.verifyCertificate;
  if (!found) {
    show("answer");
    notice("查无此证书：验证码不存在或不正确。");
    return;
  }
  show("answer",
    h("h2", {}, "证书有效"),
    h("p", {}, `持证人：${found.holderName}　学年：${found.year}`),
    h("p", {}, `学时：${found.hours}　学分：${found.credits}`),
    h("p", {}, `考核结果：${OUTCOMES[found.outcome]}　等级：${found.grade ? GRADES[found.grade] : "—"}`),
    h("p", {}, `发证机构：${found.issuer}`),
  );
}

const code = new URLSearchParams(location.hash.slice(1)).get("code");
$("code").value = code ?? "";
$("verify-form").addEventListener("submit", (event) => {
  event.preventDefault();
  verify($("code").value.trim());
});
if (code) verify(code);
