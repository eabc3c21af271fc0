"""A meeting pack as a 16:9 PowerPoint file (python-pptx): a title slide, then one slide per section with its
title and the caption naming the filters. Bar and line charts are native PowerPoint charts (restylable in
PowerPoint and WPS), heatmaps are tables with coloured cells, word clouds are pictures, tables are tables.

Every piece of text names an East Asian typeface (``EAST_ASIAN_FONT``, 微软雅黑, marked as a GB2312 font so an
office suite without it substitutes another Chinese font, never boxes) besides the Latin one.
"""

from __future__ import annotations

import io

from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from reportlens.export.content import Bars, Heat, Lines, Pack, Picture, Section, Table
from reportlens.palettes import palette as get_palette

SLIDE_WIDTH = Inches(13.333)
SLIDE_HEIGHT = Inches(7.5)
EAST_ASIAN_FONT = "微软雅黑"
LATIN_FONT = "Microsoft YaHei"
# the <a:ea> attributes that say "a Chinese (GB2312) sans-serif font", so a missing 微软雅黑 is replaced in kind
EAST_ASIAN_ATTRIBUTES = {"panose": "020B0503020204020204", "pitchFamily": "34", "charset": "-122"}
TITLE_SIZE = Pt(30)
CAPTION_SIZE = Pt(12)
CHART_FONT_SIZE = Pt(14)
TABLE_FONT_SIZE = Pt(14)
TEXT_COLOR = RGBColor(0x2B, 0x2B, 0x2B)
MUTED_COLOR = RGBColor(0x6B, 0x6B, 0x6B)
LABELLED_BARS_MAX = 25  # up to this many categories the bars carry their numbers
PERCENT_LABEL_MIN = 4  # a series of a 100 % bar whose parts all stay under this many percent has no labels
LONG_TITLE = 30  # characters past which a slide title is set smaller
MARGIN = Inches(0.5)
TOP = Inches(1.2)  # below the title
BOTTOM = Inches(0.6)  # the caption's band


def _hex(color: str) -> RGBColor:
    return RGBColor.from_string(color.lstrip("#").upper())


def set_fonts(font: object) -> None:
    """Give a python-pptx ``Font`` (a run's, a paragraph's or a chart's) the Latin and East Asian typefaces."""
    font.name = LATIN_FONT  # type: ignore[attr-defined]
    properties = font._rPr if hasattr(font, "_rPr") else font._element  # type: ignore[attr-defined]
    east = properties.find(qn("a:ea"))
    if east is None:
        east = etree.SubElement(properties, qn("a:ea"))
        latin = properties.find(qn("a:latin"))
        if latin is not None:  # schema order: latin, ea, cs
            latin.addnext(east)
    east.set("typeface", EAST_ASIAN_FONT)
    for key, value in EAST_ASIAN_ATTRIBUTES.items():
        east.set(key, value)


def _write(paragraph, text: str, *, size, bold=False, color=TEXT_COLOR, align=PP_ALIGN.LEFT) -> None:
    """One run of text in a paragraph, in the pack's fonts."""
    paragraph.alignment = align
    run = paragraph.add_run()
    run.text = text
    run.font.size = size
    run.font.bold = bold
    run.font.color.rgb = color
    set_fonts(run.font)


def _text(slide, left, top, width, height, lines: list[str], *, size, color=TEXT_COLOR, bold=False):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.TOP
    for i, line in enumerate(lines):
        _write(frame.paragraphs[0] if i == 0 else frame.add_paragraph(), line, size=size, bold=bold, color=color)
    return box


def _title_slide(prs, pack: Pack) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _text(slide, MARGIN, Inches(1.6), SLIDE_WIDTH - 2 * MARGIN, Inches(1.2), [pack.title], size=Pt(40), bold=True)
    lines = [f"{name}：{value}" for name, value in pack.facts]
    _text(slide, MARGIN, Inches(3.1), SLIDE_WIDTH - 2 * MARGIN, Inches(3.6), lines, size=Pt(18), color=MUTED_COLOR)


def _frame(prs, section: Section):
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    size = TITLE_SIZE if len(section.title) <= LONG_TITLE else Pt(22)
    _text(slide, MARGIN, Inches(0.35), SLIDE_WIDTH - 2 * MARGIN, Inches(0.8), [section.title], size=size, bold=True)
    _text(
        slide, MARGIN, SLIDE_HEIGHT - BOTTOM, SLIDE_WIDTH - 2 * MARGIN, Inches(0.5), [section.caption],
        size=CAPTION_SIZE, color=MUTED_COLOR,
    )
    return slide, (MARGIN, TOP, SLIDE_WIDTH - 2 * MARGIN, SLIDE_HEIGHT - TOP - BOTTOM - Inches(0.1))


def _chart(slide, box, visual: Bars | Lines, colors: tuple[str, ...]) -> None:
    data = CategoryChartData(number_format=visual.number_format)
    horizontal = isinstance(visual, Bars) and visual.horizontal
    categories = visual.categories[::-1] if horizontal else visual.categories  # PowerPoint draws bars bottom up
    data.categories = categories
    for name, values in visual.series.items():
        data.add_series(name, values[::-1] if horizontal else values)
    if isinstance(visual, Lines):
        kind = XL_CHART_TYPE.LINE_MARKERS
    elif visual.percent:
        kind = XL_CHART_TYPE.BAR_STACKED_100 if horizontal else XL_CHART_TYPE.COLUMN_STACKED_100
    elif visual.stacked:
        kind = XL_CHART_TYPE.BAR_STACKED if horizontal else XL_CHART_TYPE.COLUMN_STACKED
    else:
        kind = XL_CHART_TYPE.BAR_CLUSTERED if horizontal else XL_CHART_TYPE.COLUMN_CLUSTERED
    chart = slide.shapes.add_chart(kind, *box, data).chart
    chart.has_title = False  # the slide's title names the chart
    chart.font.size = CHART_FONT_SIZE
    chart.font.color.rgb = TEXT_COLOR
    set_fonts(chart.font)
    chart.has_legend = len(visual.series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.TOP
        chart.legend.include_in_layout = False
        set_fonts(chart.legend.font)
    own = visual.colors if isinstance(visual, Bars) and visual.colors else colors
    for i, series in enumerate(chart.plots[0].series):
        color = _hex(own[i % len(own)])
        if isinstance(visual, Lines):
            series.format.line.color.rgb = color
            series.format.line.width = Pt(3)
            series.marker.format.fill.solid()
            series.marker.format.fill.fore_color.rgb = color
        else:
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = color
    if isinstance(visual, Bars):
        plot = chart.plots[0]
        plot.gap_width = 60
        if visual.stacked or visual.percent:
            plot.overlap = 100
        plot.has_data_labels = len(visual.categories) <= LABELLED_BARS_MAX
        if plot.has_data_labels:
            inside = visual.stacked or visual.percent
            for i, (series, values) in enumerate(zip(plot.series, visual.series.values(), strict=True)):
                labels = series.data_labels
                labels.show_value = not (visual.percent and max(values, default=0) < PERCENT_LABEL_MIN)
                labels.number_format = '0"%";;;' if visual.percent else f"{visual.number_format};;;"  # no 0 label
                labels.number_format_is_linked = False
                labels.position = XL_LABEL_POSITION.CENTER if inside else XL_LABEL_POSITION.OUTSIDE_END
                labels.font.size = Pt(12)
                fill = _hex(own[i % len(own)])
                dark = (0.299 * fill[0] + 0.587 * fill[1] + 0.114 * fill[2]) < 150
                labels.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF) if inside and dark else TEXT_COLOR
                set_fonts(labels.font)
    for axis in (chart.category_axis, chart.value_axis):
        axis.tick_labels.font.size = CHART_FONT_SIZE
        set_fonts(axis.tick_labels.font)
    values = [v for series in visual.series.values() for v in series]
    if isinstance(visual, Bars) and visual.number_format == "0" and not visual.percent and values and max(values) <= 12:
        chart.value_axis.major_unit = 1  # whole numbers only, no 0.5 ticks for counts
    chart.value_axis.has_major_gridlines = True
    chart.value_axis.major_gridlines.format.line.color.rgb = RGBColor(0xE6, 0xE6, 0xE6)


def _mix(low: str, high: str, t: float) -> RGBColor:
    a, b = _hex(low), _hex(high)
    return RGBColor(*(round(x + (y - x) * t) for x, y in zip(a, b, strict=True)))


def _scale_color(scale: tuple[str, ...], t: float) -> RGBColor:
    t = min(max(t, 0.0), 1.0) * (len(scale) - 1)
    i = min(int(t), len(scale) - 2)
    return _mix(scale[i], scale[i + 1], t - i)


def _cell(cell, text: str, *, size=TABLE_FONT_SIZE, bold=False, color=TEXT_COLOR, fill: RGBColor | None = None, align=PP_ALIGN.LEFT):
    cell.text = ""
    _write(cell.text_frame.paragraphs[0], text, size=size, bold=bold, color=color, align=align)
    cell.text_frame.word_wrap = True
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    cell.margin_left = cell.margin_right = Inches(0.06)
    cell.margin_top = cell.margin_bottom = Inches(0.03)
    if fill is not None:
        cell.fill.solid()
        cell.fill.fore_color.rgb = fill


def _heat(slide, box, visual: Heat, scale: tuple[str, ...]) -> None:
    left, top, width, height = box
    n_rows, n_cols = len(visual.rows) + 1, len(visual.columns) + 1
    row_height = min(Inches(0.5), Emu(int(height / n_rows)))
    shape = slide.shapes.add_table(n_rows, n_cols, left, top, width, Emu(int(row_height * n_rows)))
    table = shape.table
    first = min(Inches(4.2), Emu(int(width * 0.38)))
    table.columns[0].width = first
    for j in range(1, n_cols):
        table.columns[j].width = Emu(int((width - first) / (n_cols - 1)))
    size = Pt(12) if n_cols > 10 or n_rows > 12 else TABLE_FONT_SIZE
    top_value = max((v for row in visual.values for v in row), default=0.0) or 1.0
    _cell(table.cell(0, 0), "", fill=RGBColor(0xFF, 0xFF, 0xFF))
    for j, name in enumerate(visual.columns, 1):
        _cell(table.cell(0, j), name, bold=True, size=size, fill=_hex(scale[0]), align=PP_ALIGN.CENTER)
    for i, (name, row) in enumerate(zip(visual.rows, visual.values, strict=True), 1):
        table.rows[i].height = row_height
        _cell(table.cell(i, 0), name, size=size, fill=RGBColor(0xFF, 0xFF, 0xFF))
        for j, value in enumerate(row, 1):
            t = value / top_value
            fill = _scale_color(scale, t)
            dark = (0.299 * fill[0] + 0.587 * fill[1] + 0.114 * fill[2]) < 140
            text = visual.number_format.format(value) if value else ""
            _cell(table.cell(i, j), text, size=size, fill=fill, align=PP_ALIGN.CENTER,
                  color=RGBColor(0xFF, 0xFF, 0xFF) if dark else TEXT_COLOR)
    table.rows[0].height = row_height
    shape.table.first_row = True


def _table(slide, box, visual: Table, header: str) -> None:
    left, top, width, height = box
    frame = visual.frame
    n_rows, n_cols = len(frame) + 1, len(frame.columns)
    shape = slide.shapes.add_table(n_rows, n_cols, left, top, width, Emu(int(min(height, Inches(0.55) * n_rows))))
    table = shape.table
    weights = visual.widths if len(visual.widths) == n_cols else [1.0] * n_cols
    for j, weight in enumerate(weights):
        table.columns[j].width = Emu(int(width * weight / sum(weights)))
    for j, name in enumerate(frame.columns):
        _cell(table.cell(0, j), str(name), bold=True, fill=_hex(header), color=RGBColor(0xFF, 0xFF, 0xFF))
    for i, row in enumerate(frame.itertuples(index=False), 1):
        shade = RGBColor(0xF5, 0xF6, 0xF8) if i % 2 == 0 else RGBColor(0xFF, 0xFF, 0xFF)
        for j, value in enumerate(row):
            text = "" if value is None or (isinstance(value, float) and value != value) else str(value)
            _cell(table.cell(i, j), text, fill=shade)


def _picture(slide, box, visual: Picture) -> None:
    left, top, width, height = box
    scale = min(width / visual.width, height / visual.height)
    shown_w, shown_h = int(visual.width * scale), int(visual.height * scale)
    slide.shapes.add_picture(
        io.BytesIO(visual.png), Emu(int(left + (width - shown_w) / 2)), top, Emu(shown_w), Emu(shown_h)
    )


def pptx_bytes(pack: Pack, *, palette: str = "calm") -> bytes:
    """The pack as a .pptx file (16:9): title slide, then one slide per section."""
    colors = get_palette(palette)
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    _title_slide(prs, pack)
    for section in pack.sections:
        slide, box = _frame(prs, section)
        visual = section.visual
        if isinstance(visual, Bars | Lines):
            _chart(slide, box, visual, colors.colors)
        elif isinstance(visual, Heat):
            _heat(slide, box, visual, colors.scale)
        elif isinstance(visual, Picture):
            _picture(slide, box, visual)
        else:
            _table(slide, box, visual, colors.colors[0])
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()
