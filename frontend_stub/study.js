// The trainee's study page (学员学习页): everything from `viewer { enrollment { … } }`.

import { gql, graphql, mutate, upload } from "./api.js";
import { StudyTimer } from "./timer.js";
import {
  $, bar, clearMessages, duration, h, LEVELS, localTime, notice, report, serverClock, show, signIn,
  STAGES, SUBMISSION_STATUS, TRACKS,
} from "./ui.js";

const STUDY_PAGE = gql`
  query StudyPage {
    serverTime
    viewer {
      person { realName stage subject track school { name } }
      enrollment {
        track
        batch { name studyDays window { startsOn endsOn opensAt closesAt state } }
        workshop {
          id name
          leader { realName }
          tutorTeam { person { realName } }
          topics { id title resources { id title minutes } }
        }
        topic { id title }
        trainingClass { name }
        tutor { realName }
        hourProgress {
          required { onlineHours offlineHours }
          onlineHours offlineHours onlineComplete offlineComplete complete
        }
        yearHours { targetHours countedHours missingHours }
        assessmentForecast {
          outcome score explanation components { kind weight required has score missing }
        }
        result {
          outcome score explanation components { kind weight required has score missing }
        }
      }
    }
  }
`;

const HOMEWORK = gql`
  query Homework($workshopId: ID!) {
    assignments(workshopId: $workshopId, first: 20) {
      nodes {
        id title instructions dueAt
        mySubmission { status version score level comment submittedAt attachments { filename } }
      }
    }
  }
`;

const SUBMIT_HOMEWORK = gql`
  mutation SubmitHomework($input: SubmitHomeworkInput!) {
    submitHomework(input: $input) {
      submission { id status version submittedAt }
      userErrors { code field message }
    }
  }
`;

let page = null; // the last StudyPage data

async function load() {
  clearMessages();
  try {
    page = await graphql(STUDY_PAGE);
  } catch (error) {
    report(error);
    return;
  }
  serverClock.sync(page.serverTime);
  const { person, enrollment } = page.viewer;
  show("profile", h("h2", {}, person.realName), h("p", {}, [
    person.school?.name, person.stage && STAGES[person.stage], person.subject, TRACKS[person.track],
  ].filter(Boolean).join(" · ")));
  if (!enrollment) {
    notice("尚未报名本期名师网络研修（注册时间内用 enroll 报名）。");
    return;
  }
  showWindow(enrollment.batch);
  showHours(enrollment.hourProgress);
  showForecast(enrollment);
  showWorkshop(enrollment);
  showStudy(enrollment);
  await loadHomework(enrollment.workshop.id);
}

// --- the year's hours and the assessment forecast (R12) ---------------------------------------

const OUTCOMES = { PASSED: "合格", FAILED: "不合格", EXEMPT: "免考核", ABSENT: "缺考" };
const COMPONENTS = {
  STUDY: "学习时间", HOMEWORK: "作业", DISCUSSION: "研讨", OUTCOME: "研修成果",
  NOTES: "学习笔记", REFLECTION: "学习心得", TOWNSHIP: "乡镇集中研修",
};

function showForecast({ yearHours, assessmentForecast: forecast, result }) {
  show("assessment",
    h("h3", {}, result ? "考核结果" : "考核预测"),
    result
      ? h("p", {}, `${OUTCOMES[result.outcome]}，${result.score} 分。${result.explanation}`)
      : h("p", {}, `按目前的记录：${OUTCOMES[forecast.outcome]}，${forecast.score} 分。${forecast.explanation}`),
    h("p", {}, h("a", { href: "certificate.html" }, "我的继续教育证书（查看、打印）")),
    bar("本学年学时", yearHours.countedHours, yearHours.targetHours),
    // Once computed, the result's own components: what the outcome was decided from.
    h("ul", {}, ...(result || forecast).components.map((part) => h("li", {},
      `${COMPONENTS[part.kind]}（权重 ${part.weight}）：${part.score} 分`
      + (part.missing ? ` · ${part.missing}` : " · 已达要求")))),
  );
}

// --- the batch window and its countdown (R1) -------------------------------------------------

let countdown = null;

function showWindow(batch) {
  const { window: studyWindow } = batch;
  show("window",
    h("h3", {}, batch.name),
    h("p", {}, `研修时间：${studyWindow.startsOn} 至 ${studyWindow.endsOn}`
      + `（${batch.studyDays} 个学习日，北京时间）`),
    h("p", { class: "countdown", id: "countdown" }),
  );
  clearInterval(countdown);
  const opens = new Date(studyWindow.opensAt).getTime();
  const closes = new Date(studyWindow.closesAt).getTime();
  let shown = studyWindow.state;
  const tick = () => {
    const now = serverClock.now();
    const state = now < opens ? "NOT_OPEN" : now < closes ? "OPEN" : "CLOSED";
    $("countdown").textContent = {
      NOT_OPEN: `未开始 · 距开始 ${duration(opens - now)}`,
      OPEN: `进行中 · 距结束 ${duration(closes - now)}`,
      CLOSED: "已结束",
    }[state];
    $("countdown").dataset.state = state;
    // Crossing an edge changes what the server allows: read the page again.
    if (state !== shown) {
      shown = state;
      load();
    }
  };
  tick();
  countdown = setInterval(tick, 1000);
}

// --- hours against the split (R8) -----------------------------------------------------------

function showHours(progress, onlineHours = progress.onlineHours) {
  show("hours",
    h("h3", {}, "学时", progress.complete ? h("span", { class: "badge" }, "已完成") : null),
    bar("线上学习（计时）", onlineHours, progress.required.onlineHours),
    bar("线下研修（辅导教师确认）", progress.offlineHours, progress.required.offlineHours),
  );
}

// --- workshop, topic, class -----------------------------------------------------------------

function showWorkshop(enrollment) {
  const { workshop } = enrollment;
  show("workshop",
    h("h3", {}, workshop.name),
    h("dl", {},
      h("dt", {}, "主持人"), h("dd", {}, workshop.leader.realName),
      h("dt", {}, "辅导团队"), h("dd", {}, workshop.tutorTeam.map((m) => m.person.realName).join("、")),
      h("dt", {}, "研修专题"), h("dd", {}, enrollment.topic?.title ?? "未选"),
      h("dt", {}, "班级"), h("dd", {}, enrollment.trainingClass
        ? `${enrollment.trainingClass.name} · 辅导教师 ${enrollment.tutor.realName}` : "待分班"),
    ),
  );
}

// --- the study timer (R9) -------------------------------------------------------------------

const timer = new StudyTimer({
  onBeat: (beat) => {
    showHours(page.viewer.enrollment.hourProgress, beat.onlineSeconds / 3600);
    $("timer-status").textContent =
      `计时中 · 第 ${beat.sequence} 次心跳 · 本次已计 ${duration(beat.session.countedSeconds * 1000)}`;
  },
  onStop: async (userErrors) => {
    await load(); // the hours as the server counted them
    if (userErrors.length) report(userErrors);
  },
});

function showStudy(enrollment) {
  const choices = enrollment.workshop.topics.flatMap((topic) => [
    h("option", { value: `topic:${topic.id}` }, `专题：${topic.title}`),
    ...topic.resources.map((r) =>
      h("option", { value: `resource:${r.id}` }, `　${r.title}（${r.minutes} 分钟）`)),
  ]);
  const select = h("select", { id: "study-target", disabled: timer.running }, choices);
  const button = timer.running
    ? h("button", { onclick: () => timer.end().catch(report) }, "结束学习")
    : h("button", { onclick: () => startStudy(select.value) }, "开始学习");
  show("study",
    h("h3", {}, "在线学习计时"),
    h("p", { class: "hint" }, "页面可见时每分钟发送一次心跳；切到其他页面时暂停，关闭页面时结束。"),
    select, button,
    h("p", { id: "timer-status" }, timer.running ? "计时中…" : "未在计时"),
  );
}

async function startStudy(choice, takeOver = false) {
  clearMessages();
  const [kind, id] = choice.split(":");
  const target = kind === "topic" ? { topicId: id } : { resourceId: id };
  try {
    const payload = await timer.start({ ...target, takeOver });
    const [problem] = payload.userErrors;
    if (problem?.code === "SESSION_CONFLICT" && confirm(`${problem.message}\n在本页继续计时？`)) {
      return startStudy(choice, true);
    }
    if (problem) report(payload.userErrors);
  } catch (error) {
    report(error);
  }
  showStudy(page.viewer.enrollment);
}

// --- homework (R10) -------------------------------------------------------------------------

async function loadHomework(workshopId) {
  const data = await graphql(HOMEWORK, { workshopId }).catch(report);
  if (!data) return;
  show("homework", h("h3", {}, "研修作业"), data.assignments.nodes.map(assignmentCard));
}

function assignmentCard(assignment) {
  const mine = assignment.mySubmission;
  const text = h("textarea", { rows: 4, placeholder: "作业正文" });
  const file = h("input", { type: "file" });
  const graded = mine?.status === "GRADED";
  return h("article", { class: "card" },
    h("h4", {}, assignment.title),
    h("p", {}, assignment.instructions),
    h("p", { class: "hint" }, `截止：${localTime(assignment.dueAt)}`),
    mine && h("p", {},
      `我的提交：第 ${mine.version} 稿 · ${SUBMISSION_STATUS[mine.status]} · ${localTime(mine.submittedAt)}`,
      mine.attachments.length ? ` · 附件 ${mine.attachments.map((a) => a.filename).join("、")}` : "",
      graded ? ` · ${mine.score} 分（${LEVELS[mine.level]}）` : "",
      mine.comment ? ` · 评语：${mine.comment}` : ""),
    !graded && h("form", { onsubmit: (event) => submit(event, assignment.id, text, file) },
      text, file, h("button", {}, mine ? "重新提交" : "提交作业")),
  );
}

async function submit(event, assignmentId, text, file) {
  event.preventDefault();
  clearMessages();
  try {
    const attachmentIds = file.files.length ? [(await upload(file.files[0])).id] : [];
    const payload = await mutate(SUBMIT_HOMEWORK, {
      input: { assignmentId, text: text.value, attachmentIds },
    });
    if (payload.userErrors.length) return report(payload.userErrors);
    notice(`已提交第 ${payload.submission.version} 稿。`);
    await loadHomework(page.viewer.enrollment.workshop.id);
  } catch (error) {
    report(error);
  }
}

signIn(load);
