// The tutor's desk (辅导教师工作台): the grading queue, the class rosters, grading and recommending.

import { gql, graphql, mutate } from "./api.js";
import {
  bar, clearMessages, h, LEVELS, localTime, notice, report, show, signIn, TRACKS,
} from "./ui.js";

const DESK = gql`
  query TutorDesk {
    gradingQueue(first: 20) {
      totalCount
      nodes {
        id version text submittedAt
        assignment { title }
        trainee { realName }
        trainingClass { name }
        attachments { filename }
      }
    }
    tutorDesk {
      classes {
        trainingClass { id name workshop { name } }
        roster(first: 100) {
          totalCount
          nodes {
            teacher { realName school { name } }
            enrollment { track assessmentForecast { outcome explanation } }
            hourProgress { required { onlineHours offlineHours } onlineHours offlineHours complete }
            submissionsWaiting postCount lastActivityAt
          }
        }
      }
    }
  }
`;

const SHOWCASE = gql`
  query ClassShowcase($classId: ID!) {
    classShowcase(classId: $classId, first: 10) {
      nodes {
        recommendedAt
        submission { score level trainee { realName } assignment { title } }
      }
    }
  }
`;

const GRADE = gql`
  mutation GradeSubmission($input: GradeSubmissionInput!) {
    gradeSubmission(input: $input) {
      submission { id status score level comment }
      userErrors { code field message }
    }
  }
`;

const RECOMMEND = gql`
  mutation RecommendSubmission($input: RecommendSubmissionInput!) {
    recommendSubmission(input: $input) {
      recommendation { id level recommendedAt }
      userErrors { code field message }
    }
  }
`;

async function load() {
  clearMessages();
  let data;
  try {
    data = await graphql(DESK);
  } catch (error) {
    report(error);
    return;
  }
  const queue = data.gradingQueue;
  show("queue", h("h2", {}, `待批改作业（${queue.totalCount}）`), queue.nodes.map(submissionCard));
  const { classes } = data.tutorDesk;
  if (!classes.length) notice("您没有负责的班级。");
  show("desk", h("h2", {}, "我的班级"), classes.map(classSection));
  for (const { trainingClass } of classes) loadShowcase(trainingClass.id);
}

const OUTCOMES = { PASSED: "合格", FAILED: "不合格", EXEMPT: "免考核", ABSENT: "缺考" };

// R12: what the trainee would get today, and the one thing missing.
const forecastText = ({ outcome, explanation }) =>
  outcome === "PASSED" ? OUTCOMES[outcome] : `${OUTCOMES[outcome]}：${explanation}`;

// --- the roster -----------------------------------------------------------------------------

function classSection({ trainingClass, roster }) {
  return h("div", {},
    h("h3", {}, `${trainingClass.workshop.name} · ${trainingClass.name}（${roster.totalCount} 人）`),
    h("table", {},
      h("tr", {}, ["学员", "学校", "学习方式", "线上", "线下", "待批改", "发帖", "最近活动", "考核预测"]
        .map((title) => h("th", {}, title))),
      roster.nodes.map((entry) => {
        const { required, onlineHours, offlineHours } = entry.hourProgress;
        return h("tr", {},
          h("td", {}, entry.teacher.realName),
          h("td", {}, entry.teacher.school?.name ?? ""),
          h("td", {}, TRACKS[entry.enrollment.track]),
          h("td", {}, bar("", onlineHours, required.onlineHours)),
          h("td", {}, bar("", offlineHours, required.offlineHours)),
          h("td", {}, String(entry.submissionsWaiting)),
          h("td", {}, String(entry.postCount)),
          h("td", {}, localTime(entry.lastActivityAt)),
          h("td", {}, forecastText(entry.enrollment.assessmentForecast)));
      }),
    ),
    h("h4", {}, "班级推荐作业"),
    h("ul", { id: `showcase-${trainingClass.id}` }),
  );
}

async function loadShowcase(classId) {
  const data = await graphql(SHOWCASE, { classId }).catch(report);
  if (!data) return;
  const items = data.classShowcase.nodes.map(({ recommendedAt, submission: s }) =>
    h("li", {}, `${s.trainee.realName}《${s.assignment.title}》${s.score} 分（${LEVELS[s.level]}）· `
      + `推荐于 ${localTime(recommendedAt)}`));
  document.getElementById(`showcase-${classId}`).replaceChildren(
    ...(items.length ? items : [h("li", { class: "hint" }, "暂无")]));
}

// --- grading (R10: only the trainee's class tutor) -----------------------------------------

function submissionCard(submission) {
  const score = h("input", { type: "number", min: 0, max: 100, required: true, placeholder: "分数" });
  const level = h("select", {}, Object.entries(LEVELS).map(([value, label]) =>
    h("option", { value }, label)));
  const comment = h("input", { placeholder: "评语" });
  const card = h("article", { class: "card" },
    h("h4", {}, `${submission.trainee.realName} · ${submission.assignment.title}`),
    h("p", { class: "hint" },
      `${submission.trainingClass?.name ?? ""} · 第 ${submission.version} 稿 · `
      + `提交于 ${localTime(submission.submittedAt)}`
      + (submission.attachments.length
        ? ` · 附件 ${submission.attachments.map((a) => a.filename).join("、")}` : "")),
    h("p", {}, submission.text),
    h("form", { class: "inline", onsubmit: (event) => grade(event, card, submission, score, level, comment) },
      score, level, comment, h("button", {}, "批改")),
  );
  return card;
}

async function grade(event, card, submission, score, level, comment) {
  event.preventDefault();
  clearMessages();
  const payload = await mutate(GRADE, {
    input: { submissionId: submission.id, score: Number(score.value), level: level.value, comment: comment.value },
  }).catch(report);
  if (!payload) return;
  if (payload.userErrors.length) return report(payload.userErrors);
  const graded = payload.submission;
  card.querySelector("form").replaceWith(h("p", { class: "inline" },
    `已批改：${graded.score} 分（${LEVELS[graded.level]}）`,
    graded.level !== "FAIL" && h("button", { onclick: () => recommend(card, graded.id) }, "推荐到班级")));
}

async function recommend(card, submissionId) {
  clearMessages();
  const payload = await mutate(RECOMMEND, { input: { submissionId, level: "CLASS" } }).catch(report);
  if (!payload) return;
  if (payload.userErrors.length) return report(payload.userErrors);
  card.remove();
  await load();
  notice("已推荐到班级展示。");
}

signIn(load);
