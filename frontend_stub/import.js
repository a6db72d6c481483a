// The admin's roster import (花名册导入): upload the sheet, a dry run, the errors by row and
// column, then the import; a large file runs as a job whose progress the page polls.

import { gql, graphql, mutate, upload } from "./api.js";
import { $, bar, clearMessages, h, localTime, notice, report, show, signIn } from "./ui.js";

// Both documents select the same job fields (a document is sent as written: no fragments
// pasted in, see tests/test_stub.py).
const IMPORT = gql`
  mutation ImportRoster($input: ImportRosterInput!) {
    importRoster(input: $input) {
      job {
        id status progress dryRun totalRows errorRows createdCount updatedCount unchangedCount
        message startedAt finishedAt
        rowErrors(first: 100) { totalCount nodes { row column code message } }
      }
      userErrors { code field message }
    }
  }
`;

const JOB = gql`
  query ImportJob($id: ID!) {
    importJob(id: $id) {
      id status progress dryRun totalRows errorRows createdCount updatedCount unchangedCount
      message startedAt finishedAt
      rowErrors(first: 100) { totalCount nodes { row column code message } }
    }
  }
`;

const STATUS = {
  RUNNING: "进行中",
  SUCCEEDED: "已完成",
  REFUSED: "有错误行，未导入",
  FAILED: "失败",
  INTERRUPTED: "被中断",
};
const POLL_MS = 1000;
let file = null;

function showJob(job) {
  const verb = job.dryRun ? "将" : "已";
  show(
    "job",
    h("h2", {}, job.dryRun ? "试导入结果" : "导入结果", h("span", { class: "badge" }, STATUS[job.status])),
    bar("进度", job.progress, 100, "%"),
    h(
      "dl",
      {},
      h("dt", {}, "数据行"), h("dd", {}, String(job.totalRows)),
      h("dt", {}, `${verb}新建`), h("dd", {}, String(job.createdCount)),
      h("dt", {}, `${verb}更新`), h("dd", {}, String(job.updatedCount)),
      h("dt", {}, "无变化"), h("dd", {}, String(job.unchangedCount)),
      h("dt", {}, "错误行"), h("dd", {}, String(job.errorRows)),
      h("dt", {}, "开始"), h("dd", {}, localTime(job.startedAt)),
      h("dt", {}, "结束"), h("dd", {}, localTime(job.finishedAt)),
    ),
    job.message && h("p", { class: "hint" }, job.message),
  );
  const errors = job.rowErrors.nodes;
  show(
    "row-errors",
    errors.length > 0 && [
      h("h2", {}, `错误行（共 ${job.rowErrors.totalCount} 条，显示前 ${errors.length} 条）`),
      h(
        "table",
        {},
        h("tr", {}, h("th", {}, "行号"), h("th", {}, "列"), h("th", {}, "问题"), h("th", {}, "代码")),
        errors.map((e) =>
          h("tr", {}, h("td", {}, String(e.row)), h("td", {}, e.column ?? "—"), h("td", {}, e.message), h("td", {}, e.code)),
        ),
      ),
    ],
  );
}

async function poll(id) {
  const { importJob } = await graphql(JOB, { id });
  if (!importJob) return;
  showJob(importJob);
  if (importJob.status === "RUNNING") setTimeout(() => poll(id).catch(report), POLL_MS);
}

async function run(dryRun) {
  clearMessages();
  const chosen = $("file").files[0];
  if (!chosen) return notice("请先选择表格文件。");
  // The same file is uploaded once for a dry run and the import that follows it.
  if (file?.chosen !== chosen) file = { chosen, upload: await upload(chosen) };
  const payload = await mutate(IMPORT, {
    input: { upload: file.upload.id, dryRun, importGoodRows: $("good-rows").checked },
  });
  if (payload.userErrors.length) return report(payload.userErrors);
  showJob(payload.job);
  if (payload.job.status === "RUNNING") setTimeout(() => poll(payload.job.id).catch(report), POLL_MS);
}

$("import-form").addEventListener("submit", (event) => {
  event.preventDefault();
  run(event.submitter?.dataset.dryRun === "true").catch(report);
});
signIn(() => notice("选择表格，先试导入检查错误，再导入。"));
