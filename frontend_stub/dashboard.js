// The admins' dashboard (管理员看板): the rates of one's scope against the threshold, the trend
// across bulletins, the lagging units, the award desk and the exports. Charts: ECharts, vendored.

import { ApiError, gql, graphql, mutate, token } from "./api.js";
import { $, clearMessages, h, notice, report, show, signIn } from "./ui.js";

const PROGRAM = gql`
  query DashboardProgram {
    programs(first: 20) {
      nodes { id name phases { endsOn } policies { report { thresholdBasisPoints } } }
    }
  }
`;

const RATES = gql`
  query DashboardRates($program: ID!, $level: RateLevel!) {
    rates(programId: $program, level: $level) {
      unitId name expected participants passed passedIsForecast participationRate passRate
    }
  }
`;

const TREND = gql`
  query DashboardTrend($program: ID!) {
    bulletins(programId: $program, first: 20) {
      nodes { number asOf region { name } participationRate passRate }
    }
  }
`;

const QUOTAS = gql`
  query DashboardQuotas($program: ID!, $city: ID!) {
    awardQuotas(programId: $program, cityId: $city) { category base places nominated approved }
  }
`;

const CANDIDATES = gql`
  query DashboardCandidates($program: ID!, $city: ID!, $category: AwardCategory!) {
    awardCandidates(programId: $program, cityId: $city, category: $category) {
      rank name eligible score participationRate passRate criteria { label met detail }
    }
  }
`;

const EXPORT = gql`
  mutation DashboardExport($input: ExportRatesInput!) {
    exportRates(input: $input) { job { id } userErrors { code message } }
  }
`;

const JOB = gql`
  query DashboardJob($id: ID!) {
    exportJob(id: $id) { status rowsDone rowsTotal filename downloadPath }
  }
`;

const LEVELS = { CITY: "设区市", COUNTY: "县区", SCHOOL: "学校" };
const CATEGORIES = {
  ADVANCED_COLLECTIVE: "先进集体",
  ADVANCED_WORKER: "先进工作者",
  EXCELLENT_TUTOR: "优秀辅导教师",
  EXCELLENT_TRAINEE: "优秀学员",
};

/** The program being run: the one whose calendar ends last (newest first among equals). */
function currentProgram(programs) {
  const lastDay = (p) => p.phases.map((phase) => phase.endsOn).sort().at(-1) ?? "";
  return [...programs].sort((a, b) => lastDay(b).localeCompare(lastDay(a)))[0];
}

/** The highest level the viewer reads: a province admin the cities, a county admin schools. */
async function ratesOfScope(program) {
  for (const level of Object.keys(LEVELS)) {
    try {
      const data = await graphql(RATES, { program, level });
      return { level, units: data.rates };
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== "FORBIDDEN") throw error;
    }
  }
  return { level: null, units: [] };
}

// Below the threshold, exactly: participants / expected < threshold (basis points / 10000).
const under = (numerator, denominator, basisPoints) =>
  denominator > 0 && numerator * 10000 < basisPoints * denominator;

function ratesChart(units, threshold) {
  const chart = echarts.init($("rates-chart"));
  const line = { silent: true, symbol: "none", data: [{ yAxis: threshold, name: "阈值" }],
                 label: { formatter: `${threshold}%` }, lineStyle: { color: "#c0392b" } };
  chart.setOption({
    animation: false,
    tooltip: { trigger: "axis" },
    legend: { data: ["参训率", "合格率"] },
    xAxis: { type: "category", data: units.map((u) => u.name) },
    yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
    series: [
      { name: "参训率", type: "bar", data: units.map((u) => Number(u.participationRate ?? 0)),
        markLine: line },
      { name: "合格率", type: "bar", data: units.map((u) => Number(u.passRate ?? 0)) },
    ],
  });
}

function trendChart(bulletins) {
  const chart = echarts.init($("trend-chart"));
  const ordered = [...bulletins].reverse();
  chart.setOption({
    animation: false,
    tooltip: { trigger: "axis" },
    legend: { data: ["参训率", "合格率"] },
    xAxis: { type: "category", data: ordered.map((b) => `${b.region.name}第${b.number}期 ${b.asOf}`) },
    yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
    series: [
      { name: "参训率", type: "line", data: ordered.map((b) => Number(b.participationRate ?? 0)) },
      { name: "合格率", type: "line", data: ordered.map((b) => Number(b.passRate ?? 0)) },
    ],
  });
}

// The first candidates of each category with why they are (not) eligible: the unmet criteria.
const SHOWN_CANDIDATES = 3;

async function candidateRows(program, city) {
  const rows = [];
  for (const category of Object.keys(CATEGORIES)) {
    const data = await graphql(CANDIDATES, { program, city, category });
    for (const c of (data.awardCandidates ?? []).slice(0, SHOWN_CANDIDATES)) {
      const unmet = c.criteria.filter((k) => !k.met).map((k) => `${k.label}（${k.detail}）`);
      rows.push(h("tr", {}, h("td", {}, CATEGORIES[category]), h("td", {}, String(c.rank)),
        h("td", {}, c.name), h("td", {}, c.score === null ? "—" : String(c.score)),
        h("td", {}, `${c.participationRate ?? "—"}% / ${c.passRate ?? "—"}%`),
        h("td", {}, c.eligible ? "符合" : `不符合：${unmet.join("；")}`)));
    }
  }
  return rows;
}

async function awardDesk(program, level, units) {
  if (level !== "CITY" || units.length === 0) return show("awards");
  const city = units[0];
  const data = await graphql(QUOTAS, { program, city: city.unitId });
  show("awards", h("h2", {}, `评优名额 · ${city.name}`), h("table", { id: "quotas" },
    h("tr", {}, h("th", {}, "类别"), h("th", {}, "基数"), h("th", {}, "名额"),
      h("th", {}, "已推荐"), h("th", {}, "已通过")),
    ...(data.awardQuotas ?? []).map((q) => h("tr", {}, h("td", {}, CATEGORIES[q.category]),
      h("td", {}, String(q.base)), h("td", {}, String(q.places)),
      h("td", {}, String(q.nominated)), h("td", {}, String(q.approved))))),
    h("h2", {}, `评优候选 · ${city.name}`), h("table", { id: "candidates" },
      h("tr", {}, h("th", {}, "类别"), h("th", {}, "排序"), h("th", {}, "名称"),
        h("th", {}, "成绩"), h("th", {}, "参训率 / 合格率"), h("th", {}, "是否符合")),
      ...await candidateRows(program, city.unitId)));
}

async function download(path, filename) {
  const response = await fetch(new URL(`..${path}`, document.baseURI), {
    headers: { Authorization: `Bearer ${token.get()}` },
  });
  const link = h("a", { href: URL.createObjectURL(await response.blob()), download: filename },
    `下载 ${filename}`);
  show("exports", h("h2", {}, "导出"), link);
}

async function exportRates(program, level) {
  const payload = await mutate(EXPORT, { input: { programId: program, level } });
  if (payload.userErrors.length) return report(payload.userErrors);
  for (;;) {
    const { exportJob: job } = await graphql(JOB, { id: payload.job.id });
    if (job.status === "DONE") return download(job.downloadPath, job.filename);
    if (job.status === "FAILED") return report(new Error("导出失败"));
    show("exports", h("h2", {}, "导出"), `生成中… ${job.rowsDone}/${job.rowsTotal ?? "?"}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

async function load() {
  clearMessages();
  const { programs } = await graphql(PROGRAM);
  const program = currentProgram(programs.nodes);
  if (!program) return notice("没有可见的项目。");
  const threshold = program.policies.report.thresholdBasisPoints / 100;
  const { level, units } = await ratesOfScope(program.id);
  if (!level) return notice("只有管理员和承训机构可以查看看板。");
  $("scope").textContent = `${program.name} · 各${LEVELS[level]}参训率、合格率`;
  ratesChart(units, threshold);
  const lagging = units.filter((u) =>
    under(u.participants, u.expected, threshold * 100) || under(u.passed, u.participants, threshold * 100));
  show("lagging", h("h2", {}, `低于 ${threshold}% 的单位`),
    lagging.length ? h("ul", {}, ...lagging.map((u) =>
      h("li", {}, `${u.name}：参训率 ${u.participationRate ?? "—"}%，合格率 ${u.passRate ?? "—"}%`)))
      : "没有。");
  const { bulletins } = await graphql(TREND, { program: program.id });
  trendChart(bulletins.nodes);
  await awardDesk(program.id, level, units);
  show("exports", h("h2", {}, "导出"),
    h("button", { id: "export-rates", onclick: () => exportRates(program.id, level) },
      "导出统计表（XLSX）"));
  document.body.dataset.loaded = "true";
}

signIn(() => load().catch(report));
