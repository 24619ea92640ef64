"""Bulletins (通报, 二(七)20 monthly, 二(六)15 and 二(七)19 quarterly): the figures, the text, the files.

:func:`bulletin_data` gathers everything a bulletin says from the assessment selectors (official
statistics: growth, ranking, escalation, evaluation), the key-project figures (reporting selectors)
and the statistics-inclusion list; :func:`body_paragraphs` writes its sentences from those figures;
:func:`bulletin_generate` renders the Word document (:mod:`.document`) and the Excel workbook
(:mod:`.workbook`) under ``MEDIA_ROOT/bulletins`` and keeps an audited ``Bulletin`` row with the
plan file's hash. Every number comes from the data; every target from the plan file.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from tuijin.assessment import presentation as assessment_presentation
from tuijin.assessment import selectors as assessment
from tuijin.orgs import policy
from tuijin.orgs.models import User
from tuijin.orgs.policy import SYSTEM
from tuijin.plan import Plan, plan_for, plan_for_period
from tuijin.reporting import selectors as reporting
from tuijin.reporting.models import UnitMonthSummary
from tuijin.stats import selectors as stats
from tuijin.toolkit import clock
from tuijin.toolkit.errors import PermissionRefused, ValidationFailed
from tuijin.toolkit.periods import period_code, time_progress

from . import selectors
from .models import Bulletin, BulletinKind
from .sections import extra_sections
from .storage import bulletin_dir, relative_name

Progress = Callable[..., None]
#: Lagging key projects listed by name in a bulletin (the count per unit covers the rest).
LAGGING_LISTED = 20
ONE, TWO = Decimal("0.1"), Decimal("0.01")


def pct(value: Decimal | float | None) -> str:
    """A growth figure as the bulletin prints it: one decimal, two when the second is not zero."""
    if value is None:
        return "—"
    value = Decimal(str(value)).quantize(TWO, rounding=ROUND_HALF_UP)
    if value == value.quantize(ONE):
        return f"{value.quantize(ONE)}"
    return f"{value}"


def target_text(value: Decimal | float | None) -> str:
    """A target as the plan writes it: '10', '8.5'."""
    if value is None:
        return "—"
    value = Decimal(str(value))
    return f"{value.normalize():f}" if value == value.to_integral_value() else pct(value)


def amount(value: Decimal | float | None, places: int = 2) -> str:
    """An amount with thousands separators: '1,799.71'."""
    if value is None:
        return "—"
    return f"{Decimal(str(value)):,.{places}f}"


def months_label(month: int) -> str:
    """'1月' or '1—6月': the cumulative span of a year-to-date figure."""
    return "1月" if month == 1 else f"1—{month}月"


@dataclass
class BulletinData:
    """Everything a bulletin shows; the document and the workbook render the same data."""

    kind: str
    year: int
    month: int
    quarter: int | None
    plan_hash: str
    city: str
    header: str  # 发文机关标志, e.g. 郑州市扩大有效投资工作通报
    number: str  # 文号 placeholder, e.g. 〔2022〕第X期
    title: str
    addressees: str
    issuer: str
    issued_on: dt.date
    span: str  # 1—6月
    time_progress: Decimal
    indicators: list[tuple[str, str]]
    city_figures: dict[str, dict[str, Any]]
    key: reporting.KeyFigures
    key_targets: dict[str, dict[str, Any]]
    ranking: list[dict[str, Any]]
    escalations: list[dict[str, Any]]
    lagging_projects: list[dict[str, Any]]
    lagging_count: int
    lagging_by_unit: list[tuple[str, int]]
    missing: list[dict[str, Any]]
    missing_threshold_wan: Decimal
    trend: dict[str, Any]
    evaluation: list[dict[str, Any]] | None = None
    evaluation_note: str = ""
    paragraphs: dict[str, list[str]] = field(default_factory=dict)
    #: Sections other apps add (:mod:`tuijin.bulletins.sections`), after the bulletin's own.
    extra_sections: list[dict[str, Any]] = field(default_factory=list)

    @property
    def period(self) -> str:
        return period_code(self.year, self.month)


def _key_targets(plan: Plan) -> dict[str, dict[str, Any]]:
    names = ("key_projects", "key_project_investment", "q1_investment", "new_starts", "approval_items",
             "shortfall_982_investment")
    return {name: {"value": plan.targets[name].value, "unit": plan.targets[name].unit,
                   "label": plan.targets[name].label, "source": plan.targets[name].source}
            for name in names if name in plan.targets}


def _ranking_table(*, plan: Plan, year: int, month: int) -> list[dict[str, Any]]:
    """All units in FAI rank order, with their target and the other indicators' growth (one row each)."""
    fai = plan.rules.escalation.indicator
    by_indicator = {i.code: {r["org"]: r for r in assessment.unit_growth_ranking(user=SYSTEM, year=year, month=month,
                                                                                  indicator=i.code)}
                    for i in plan.indicators}
    targets = stats.unit_growth_targets(year=year, indicators=[fai], plan=plan)
    rows = []
    for row in assessment.unit_growth_ranking(user=SYSTEM, year=year, month=month, indicator=fai):
        target = targets[row["org"], fai].value
        value = row["value"]
        rows.append({
            "rank": row["rank"], "org": row["org"], "name": row["name"], "short": row["short_name"],
            "value": value, "ytd_wan": row.get("ytd_wan"), "target": target,
            "gap": None if value is None else Decimal(value) - target,
            "others": {code: (rows_.get(row["org"]) or {}).get("value") for code, rows_ in by_indicator.items()
                       if code != fai},
            "last_place": row.get("last_place", False),
        })
    return rows


def bulletin_data(*, year: int, month: int, quarterly: bool = False, issued_on: dt.date | None = None) -> BulletinData:
    """Gather a bulletin's figures for ``year``-``month`` (a quarterly one adds the evaluation and awards), under
    that month's year's plan (404 for a year without one); dated ``issued_on``, by default the business date."""
    if not 1 <= month <= 12:
        raise ValidationFailed("月份应为 1–12", field="period")
    plan = plan_for_period(period_code(year, month))
    quarter = None
    if quarterly:
        if month % 3:
            raise ValidationFailed("季度通报的统计期应为季末月份（3、6、9、12月）", field="period")
        quarter = month // 3
    ranking = _ranking_table(plan=plan, year=year, month=month)
    if not any(row["value"] is not None for row in ranking):
        raise ValidationFailed(f"{year}年{month}月尚无统计部门发布的分单位固定资产投资数据，不能生成通报；"
                               "请先导入官方统计数据", field="period")
    figures = assessment.city_figures(user=SYSTEM, year=year, month=month)
    key = reporting.key_figures(user=SYSTEM, year=year, month=month)
    by_unit = Counter(dict(UnitMonthSummary.objects.filter(period__year=year, period__month=month, key_lagging__gt=0)
                           .values_list("unit__short_name", "key_lagging")))
    unit_order = {u.short_name: i for i, u in enumerate(plan.units)}
    span = months_label(month)
    kind = BulletinKind.QUARTERLY if quarterly else BulletinKind.MONTHLY
    title = (f"关于{year}年第{_quarter_name(quarter)}季度全市扩大有效投资工作综合评价情况的通报" if quarterly
             else f"关于{year}年{span}全市扩大有效投资工作进展情况的通报")
    data = BulletinData(
        kind=str(kind), year=year, month=month, quarter=quarter, plan_hash=plan.hash, city=plan.meta.city,
        header=f"{plan.meta.city}扩大有效投资工作通报", number=f"〔{year}〕第X期", title=title,
        addressees="各区县（市）人民政府，各开发区管委会，市政府各有关部门：",
        issuer=f"{plan.meta.city}扩大有效投资工作领导小组办公室",
        issued_on=issued_on or clock.today(), span=span,
        time_progress=time_progress(month),
        indicators=[(i.code, i.name) for i in plan.indicators],
        city_figures=figures, key=key, key_targets=_key_targets(plan), ranking=ranking,
        escalations=[dict(row) for row in assessment.escalation_list(user=SYSTEM, year=year, month=month)],
        lagging_projects=reporting.lagging_key_projects(user=SYSTEM, year=year, month=month, limit=LAGGING_LISTED),
        lagging_count=key.lagging_projects,
        lagging_by_unit=sorted(by_unit.items(), key=lambda item: (-item[1], unit_order.get(item[0], 99))),
        missing=selectors.missing_from_statistics(user=SYSTEM),
        missing_threshold_wan=plan.rules.statistics_inclusion.threshold_wan,
        trend=stats.growth_trend(user=SYSTEM, org_code=stats.CITY_CODE, year=year, month=month),
    )
    if quarterly:
        stored = assessment.latest_evaluation(user=SYSTEM, year=year, quarter=quarter)
        if stored is not None:
            data.evaluation = assessment_presentation.evaluation_rows(stored)
            data.evaluation_note = (f"评价结果于{timezone.localtime(stored.computed_at):%Y年%m月%d日}计算并存档"
                                    f"（方案文件 {stored.plan_hash[:12]}）")
        else:
            data.evaluation = assessment.evaluation_compute(user=SYSTEM, year=year, quarter=quarter)
            data.evaluation_note = "评价结果按现有数据即时计算，尚未存档"
    data.extra_sections = extra_sections(year=year, month=month, quarterly=quarterly)
    data.paragraphs = body_paragraphs(data)
    return data


def _quarter_name(quarter: int | None) -> str:
    return "一二三四"[quarter - 1] if quarter else ""


def _versus(actual: Decimal | None, target: Decimal | None) -> str:
    """'高于目标2.3个百分点' / '低于目标1.5个百分点' / '与目标持平'."""
    if actual is None or target is None:
        return ""
    gap = (Decimal(actual) - Decimal(target)).quantize(TWO, rounding=ROUND_HALF_UP)
    if gap == 0:
        return "与目标持平"
    return f"{'高于' if gap > 0 else '低于'}目标{pct(abs(gap))}个百分点"


def _growth(actual: Decimal | None) -> str:
    """'同比增长12.3%' or '同比下降2.0%'."""
    if actual is None:
        return "暂无统计数据"
    actual = Decimal(actual)
    return f"同比增长{pct(actual)}%" if actual >= 0 else f"同比下降{pct(-actual)}%"


def _rate(done: Decimal, target: Decimal) -> Decimal | None:
    return None if not target else (Decimal(done) * 100 / Decimal(target)).quantize(ONE, rounding=ROUND_HALF_UP)


def _progress_phrase(rate: Decimal | None, time_progress: Decimal) -> str:
    if rate is None:
        return ""
    gap = (rate - time_progress).quantize(ONE, rounding=ROUND_HALF_UP)
    if gap == 0:
        return "与序时进度持平"
    return f"{'快于' if gap > 0 else '慢于'}序时进度{pct(abs(gap))}个百分点"


def _names(rows: list[dict[str, Any]], key: str = "short") -> str:
    return "、".join(row[key] for row in rows)


def body_paragraphs(data: BulletinData) -> dict[str, list[str]]:
    """The bulletin's sentences, section by section, written from the figures."""
    fai_code = data.indicators[0][0]
    fai = data.city_figures.get(fai_code, {})
    sections: dict[str, list[str]] = {}
    plan = plan_for_period(data.period)  # the bulletin's own month's plan
    meta = plan.meta
    if data.quarter:
        opening = (f"按照《{meta.title}》（{meta.document_number}）“每季度通报固定资产投资等工作评价结果”的要求，"
                   f"现将{data.year}年第{_quarter_name(data.quarter)}季度全市扩大有效投资工作综合评价情况和"
                   f"{data.span}投资进展情况通报如下。")
    else:
        opening = (f"按照《{meta.title}》（{meta.document_number}）“每月通报各地投资进展情况”"
                   f"的要求，现将{data.year}年{data.span}全市扩大有效投资工作进展情况通报如下。")
    sections["opening"] = [opening]

    first = f"{data.span}，全市固定资产投资{_growth(fai.get('yoy_growth'))}"
    versus = _versus(fai.get("yoy_growth"), fai.get("target"))
    if versus:
        first += f"，{versus}（全年目标{target_text(fai.get('target'))}%以上）"
    first += "。"
    parts = []
    for code, name in data.indicators[1:]:
        figure = data.city_figures.get(code, {})
        text = f"{name}{_growth(figure.get('yoy_growth'))}"
        versus = _versus(figure.get("yoy_growth"), figure.get("target"))
        if versus:
            text += f"，{versus}"
        parts.append(text)
    if parts:
        first += "其中，" + "；".join(parts) + "。"
    sections["city"] = [first]

    key, targets, tp = data.key, data.key_targets, data.time_progress
    lines = []
    if "key_project_investment" in targets:
        target = Decimal(targets["key_project_investment"]["value"])
        invested = Decimal(key.investment_yuan) / 100_000_000
        rate = _rate(invested, target)
        lines.append(f"全市纳入省、市重点项目管理的重大项目{key.key_projects}个，{data.span}完成投资{amount(invested)}亿元，"
                     f"占年度目标{amount(target, 0)}亿元的{pct(rate)}%，{_progress_phrase(rate, tp)}"
                     f"（序时进度{pct(tp)}%）。")
    if "q1_investment" in targets and data.month >= 3:
        target = Decimal(targets["q1_investment"]["value"])
        q1 = Decimal(key.q1_investment_yuan) / 100_000_000
        rate = _rate(q1, target)
        lines.append(f"一季度重点项目完成投资{amount(q1)}亿元，为首季目标{amount(target, 0)}亿元的{pct(rate)}%。")
    counts = []
    if "new_starts" in targets:
        target = Decimal(targets["new_starts"]["value"])
        counts.append(f"新开工项目{key.new_starts}个，完成年度目标{target:,.0f}个的{pct(_rate(key.new_starts, target))}%")
    if "approval_items" in targets:
        target = Decimal(targets["approval_items"]["value"])
        counts.append(f"完成联审联批事项{key.approvals_done}项，完成年度目标{target:,.0f}项的"
                      f"{pct(_rate(key.approvals_done, target))}%")
    if counts:
        lines.append("；".join(counts) + "。")
    sections["key"] = lines

    valued = [row for row in data.ranking if row["value"] is not None]
    top = [row for row in valued if row["rank"] <= 3]
    below = [row for row in valued if row["gap"] is not None and row["gap"] < 0]
    ranking_text = f"从各区县（市）、开发区看，{data.span}固定资产投资增速居前三位的是{_names(top)}"
    if below:
        ranking_text += f"；{_names(below)}等{len(below)}个单位增速低于目标"
    else:
        ranking_text += "；各单位增速均达到目标"
    missing_units = [row for row in data.ranking if row["value"] is None]
    if missing_units:
        ranking_text += f"；{_names(missing_units)}暂无统计数据"
    sections["ranking"] = [ranking_text + "。具体排名见表1。"]

    rule = plan.rules.escalation
    if data.escalations:
        items = [f"{row['short_name']}（增速{pct(row['value'])}%，连续{row['streak']}个月排名末位，{row['label']}）"
                 for row in data.escalations]
        sections["escalation"] = [f"按照末位增速约谈制（{rule.source}），{data.span}固定资产投资增速排名全市末位的单位为："
                                  + "；".join(items) + "。请相关单位认真分析原因，制定整改措施，"
                                  "并于通报印发后5个工作日内将整改情况报市发展改革委，市政府督查室跟踪督办。"]
    else:
        sections["escalation"] = [f"{data.span}无单位因增速排名末位被通报或约谈。"]

    if data.lagging_count:
        worst = "、".join(f"{unit}{n}个" for unit, n in data.lagging_by_unit[:5])
        sections["lagging"] = [f"截至{data.month}月底，全市有{data.lagging_count}个重点项目本年累计完成投资低于序时进度"
                               f"（{pct(tp)}%），其中{worst}。滞后较多的项目见表3，请各单位逐项分析原因，加快推进。"]
    else:
        sections["lagging"] = ["全市重点项目本年累计完成投资均达到序时进度。"]

    threshold = data.missing_threshold_wan
    if data.missing:
        units = Counter(row["unit"] for row in data.missing)
        worst = "、".join(f"{unit}{n}个" for unit, n in units.most_common(5))
        sections["missing"] = [f"截至{data.month}月底，全市已开工、计划总投资{amount(threshold, 0)}万元及以上但尚未入库纳统的项目"
                               f"共{len(data.missing)}个，其中{worst}（明细见表4）。按照“应统尽统”要求（"
                               f"{plan.rules.statistics_inclusion.source}），对上述项目的项目单位和主管部门予以通报，"
                               "其年度投资计划暂缓下达，入库纳统后恢复。"]
    else:
        sections["missing"] = [f"全市已开工、计划总投资{amount(threshold, 0)}万元及以上的项目均已入库纳统。"]

    if data.evaluation is not None:
        awards = plan.rules.quarterly_awards
        winners = [row for row in data.evaluation if row["award_wan"]]
        named = "、".join(f"{row['short_name']}（第{row['rank']}名，{amount(row['award_wan'], 0)}万元）" for row in winners)
        sections["evaluation"] = [
            f"按照扩大有效投资综合评价办法（{plan.rules.evaluation.source}），对各区县（市）、开发区"
            f"第{_quarter_name(data.quarter)}季度工作进行了综合评价（结果见表5）。根据季度评价奖励规定（{awards.source}），"
            f"对{named or '（无）'}给予奖励，奖励资金共{amount(sum((row['award_wan'] for row in winners), Decimal(0)), 0)}万元，"
            f"{awards.purpose or ''}。{data.evaluation_note}。"]
    return sections


# ---------------------------------------------------------------------------
# Generation


def bulletin_generate(*, actor: User | None, year: int, month: int, quarterly: bool = False,
                      progress: Progress | None = None, check_actor: bool = True,
                      issued_on: dt.date | None = None) -> Bulletin:
    """Render a bulletin's Word document and Excel workbook and keep them (audited) with the plan hash.

    ``actor`` must be the city administrator when ``check_actor`` (pages, jobs); the CLI runs as the
    system. Call inside an ``audit_context``. Files go under ``MEDIA_ROOT/bulletins``.
    """
    from . import document, workbook

    if check_actor and (actor is None or not policy.can(actor, "manage_city_data")):
        raise PermissionRefused("只有市发展改革委管理员可以生成通报")
    step = progress or (lambda *args, **kwargs: None)
    total = 5
    step(0, total, "正在汇总数据")
    data = bulletin_data(year=year, month=month, quarterly=quarterly, issued_on=issued_on)
    step(1, total, "正在绘制图表")
    charts = document.chart_images(data)
    stamp = timezone.localtime(clock.real_now()).strftime("%Y%m%d-%H%M%S-%f")  # a file name: real time
    base = bulletin_dir() / f"{data.period}-{data.kind}-{stamp}"
    docx_path, xlsx_path = base.with_suffix(".docx"), base.with_suffix(".xlsx")
    step(2, total, "正在生成 Word 通报")
    document.write_docx(data, docx_path, charts=charts)
    step(3, total, "正在生成 Excel 附表")
    workbook.write_xlsx(data, xlsx_path)
    step(4, total, "正在存档")
    with transaction.atomic():
        bulletin = Bulletin.objects.create(
            kind=data.kind, year=year, month=month, plan_hash=data.plan_hash,
            docx_file=relative_name(docx_path), xlsx_file=relative_name(xlsx_path),
            created_by=actor if actor is not None and actor.pk else None,
        )  # records its own entry
    step(total, total, "已生成")
    return bulletin


def file_names(bulletin: Bulletin) -> dict[str, str]:
    """Download names: 郑州市扩大有效投资工作通报（2022年1—6月）.docx / .xlsx."""
    plan = plan_for(bulletin.year)
    span = (f"{bulletin.year}年第{_quarter_name(bulletin.month // 3)}季度" if bulletin.kind == BulletinKind.QUARTERLY
            else f"{bulletin.year}年{months_label(bulletin.month)}")
    stem = f"{plan.meta.city}扩大有效投资工作通报（{span}）"
    return {"docx": f"{stem}.docx", "xlsx": f"{stem}.xlsx"}


def copy_out(bulletin: Bulletin, *, docx: Path | None, xlsx: Path | None) -> None:
    """Copy a stored bulletin's files to the paths the CLI was given."""
    from django.conf import settings

    for name, target in ((bulletin.docx_file, docx), (bulletin.xlsx_file, xlsx)):
        if target is not None and name:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes((Path(settings.MEDIA_ROOT) / name).read_bytes())


def result_dict(bulletin: Bulletin) -> dict[str, Any]:
    return {"bulletin": bulletin.pk, "kind": bulletin.kind, "period": period_code(
        bulletin.year, bulletin.month), "plan_hash": bulletin.plan_hash, "docx": bulletin.docx_file,
        "xlsx": bulletin.xlsx_file}
