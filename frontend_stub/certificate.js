// The teacher's e-certificates (继续教育证书, R13): one printable card per program year, with
// the QR code of its public verification address, and the credit ledger of the cycle.

import { gql, graphql } from "./api.js";
import { clearMessages, h, notice, report, show, signIn } from "./ui.js";

const CERTIFICATES = gql`
  query MyCertificates {
    myCertificates {
      id year hours credits outcome grade makeUp issuer holderName code
      verificationAddress qrSvg issuedAt
    }
    myCreditLedger {
      firstYear lastYear cycleHours hours missingHours complete
      lines { year hours source title }
    }
  }
`;

const OUTCOMES = { PASSED: "合格", FAILED: "不合格", EXEMPT: "免考核", ABSENT: "缺考" };
const GRADES = { PASS: "合格", EXCELLENT: "优" };

// The QR code is SVG the API renders (segno): parsed as SVG, never as HTML.
function qrCode(svgText) {
  const svg = new DOMParser().parseFromString(svgText, "image/svg+xml").documentElement;
  return document.importNode(svg, true);
}

function card(certificate) {
  const print = h("button", { class: "no-print" }, "打印");
  print.addEventListener("click", () => {
    // The button prints its own card; the browser's print prints them all.
    document.querySelectorAll(".certificate").forEach((c) => c.classList.toggle("print-this", c.contains(print)));
    document.body.classList.add("printing-one");
    window.print();
    document.body.classList.remove("printing-one");
  });
  return h("article", { class: "certificate" },
    h("h2", {}, `${certificate.year} 继续教育登记`),
    h("p", {}, `持证人：${certificate.holderName}`),
    h("p", {}, `学时：${certificate.hours}　学分：${certificate.credits}`),
    h("p", {}, `考核结果：${OUTCOMES[certificate.outcome]}${certificate.makeUp ? "（补修）" : ""}`
      + `　等级：${certificate.grade ? GRADES[certificate.grade] : "—"}`),
    h("p", {}, `发证机构：${certificate.issuer}`),
    h("p", {}, `验证码：${certificate.code}`),
    h("figure", {}, qrCode(certificate.qrSvg), h("figcaption", {}, certificate.verificationAddress)),
    print,
  );
}

async function load() {
  clearMessages();
  let data;
  try {
    data = await graphql(CERTIFICATES);
  } catch (error) {
    report(error);
    return;
  }
  const ledger = data.myCreditLedger;
  if (ledger) {
    show("ledger",
      h("h3", {}, `学分账：${ledger.firstYear}—${ledger.lastYear} 周期`),
      h("p", {}, `已有 ${ledger.hours} 学时，周期要求 ${ledger.cycleHours} 学时`
        + (ledger.complete ? "，已满。" : `，尚缺 ${ledger.missingHours} 学时。`)),
      h("ul", {}, ...ledger.lines.map((line) => h("li", {},
        `${line.year}：${line.hours} 学时（${line.source === "external" ? `统筹培训·${line.title}` : "证书"}）`))),
    );
  }
  if (!data.myCertificates.length) {
    notice("尚无证书：项目考核结果计算之后登记。");
    return;
  }
  show("certificates", ...data.myCertificates.map(card));
}

signIn(load);
