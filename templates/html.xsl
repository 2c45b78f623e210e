<?xml version="1.0" encoding="UTF-8"?>
<!--
  html.xsl - the portal page of a 通报, from the notice's XML record
  (vocabulary: gen/doc/docxml.h) and what render_html.c adds to it for the
  page alone:

    <portal base="https://…/2017Q3/">       the URL of the page's folder when
                                             links are absolute (else none)
      <file name="tongbao.pdf" size="251089" offer="yes"/>   each file
      <file name="units/wuhan.pdf" size="5321"/>             published with it
    </portal>

  render_html.c prepends <!DOCTYPE html> and also writes the page's
  <article> element alone as the body-only fragment a portal CMS wraps in
  its own template (behind a <link> to tongbao.css, the same style.css):
  keep exactly one <article>, with class "tongbao", under which every rule
  of style.css sits, and keep what the content needs without the CSS (the
  scrolling boxes' inline style) inside it.  The CSS comes from style.css
  beside this file as the parameter css and is inlined, so the page
  references nothing outside itself.

  Every id starts with the notice's own prefix (tb-2017q3, from the
  notice's anchor), so two notices on one page never share one:
    tb-2017q3                 the article          -toc, -files  their labels
    tb-2017q3-s3              the body's 3rd heading
    tb-2017q3-att-2           附件2 (its heading; -att-2-s1 its headings)
    tb-2017q3-g-city          a group's table     -u-wuhan  a unit's row
    tb-2017q3-table-4         the 4th table's caption  -chart-1-desc  a chart's text

  Edit freely, but keep: no external resources (images, fonts, scripts;
  links only to the published files and within the page), ids made from
  the n attributes (never generate-id(), which would make the bytes differ
  from run to run), and text copied with value-of (the serializer escapes
  it).
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

<xsl:output method="html" encoding="UTF-8" indent="yes"/>

<xsl:param name="css" select="''"/>

<!-- the files published with the page, by name -->
<xsl:key name="file" match="/notice/portal/file" use="@name"/>

<!-- the prefix of every id -->
<xsl:variable name="id">
  <xsl:choose>
    <xsl:when test="normalize-space(/notice/@anchor) != ''">tb-<xsl:value-of select="translate(normalize-space(/notice/@anchor), ' ', '-')"/></xsl:when>
    <xsl:otherwise>tb</xsl:otherwise>
  </xsl:choose>
</xsl:variable>

<!-- what links to the published files start with: nothing (the page's
     folder) or the absolute URL of that folder -->
<xsl:variable name="base" select="string(/notice/portal/@base)"/>

<!-- chart geometry, in SVG user units -->
<xsl:variable name="bar-row" select="50"/>
<xsl:variable name="bar-h" select="18"/>
<xsl:variable name="bar-w" select="270"/>
<xsl:variable name="font" select="15"/>

<xsl:template match="/">
  <html lang="zh-CN">
    <head>
      <!-- no script may run and nothing may load: the page is its own
           style (inline) and text; links are navigation, not loads -->
      <meta http-equiv="Content-Security-Policy"
            content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"/>
      <meta name="viewport" content="width=device-width, initial-scale=1"/>
      <title><xsl:call-template name="title"/></title>
      <xsl:apply-templates select="notice" mode="portal-meta"/>
      <style><xsl:value-of select="$css" disable-output-escaping="yes"/>
/* the page alone (not the fragment's, which must not set the host's page) */
@page { size: A4; margin: 30mm 26mm 28mm 28mm; }
</style>
    </head>
    <body>
      <main>
        <xsl:apply-templates select="notice"/>
      </main>
    </body>
  </html>
</xsl:template>

<!-- The metadata Chinese government portals index (政府网站网页元数据):
     ArticleTitle the title, PubDate the issue date (yyyy-MM-dd HH:mm; the
     notice has a day only, so 00:00), ContentSource the issuing office,
     ColumnName the portal column of templates/notice.xml, Keywords its
     phrase, Description the subject.  Empty values are left out. -->
<xsl:template match="notice" mode="portal-meta">
  <xsl:call-template name="meta-tag">
    <xsl:with-param name="name" select="'ArticleTitle'"/>
    <xsl:with-param name="value" select="title"/>
  </xsl:call-template>
  <xsl:if test="normalize-space(meta/date) != ''">
    <meta name="PubDate" content="{normalize-space(meta/date)} 00:00"/>
  </xsl:if>
  <xsl:call-template name="meta-tag">
    <xsl:with-param name="name" select="'ContentSource'"/>
    <xsl:with-param name="value" select="issuer[normalize-space() != ''] | meta/publisher[not(normalize-space(/notice/issuer) != '')]"/>
  </xsl:call-template>
  <xsl:call-template name="meta-tag">
    <xsl:with-param name="name" select="'ColumnName'"/>
    <xsl:with-param name="value" select="meta/column"/>
  </xsl:call-template>
  <xsl:call-template name="meta-tag">
    <xsl:with-param name="name" select="'Keywords'"/>
    <xsl:with-param name="value" select="meta/keywords"/>
  </xsl:call-template>
  <xsl:call-template name="meta-tag">
    <xsl:with-param name="name" select="'Description'"/>
    <xsl:with-param name="value" select="subject"/>
  </xsl:call-template>
</xsl:template>

<xsl:template name="meta-tag">
  <xsl:param name="name"/>
  <xsl:param name="value"/>
  <xsl:if test="normalize-space($value) != ''">
    <meta name="{$name}" content="{normalize-space($value)}"/>
  </xsl:if>
</xsl:template>

<!-- the notice: metadata strip, contents and downloads, 版头, title, 主送,
     body, 附件说明, signature, attachments, 版记.  Empty parts are left out
     (an empty element is an HTML warning and says nothing to a screen
     reader). -->
<xsl:template match="notice">
  <article class="tongbao" id="{$id}" lang="zh-CN">
    <xsl:apply-templates select="meta"/>
    <xsl:call-template name="guide"/>
    <xsl:if test="normalize-space(issuer) != '' or normalize-space(doc-number) != ''">
      <header class="tb-head">
        <xsl:if test="normalize-space(issuer) != ''">
          <p class="tb-issuer"><xsl:value-of select="issuer"/></p>
        </xsl:if>
        <xsl:if test="normalize-space(doc-number) != ''">
          <p class="tb-docno">
            <xsl:if test="doc-number/@blank = 'yes'">
              <xsl:attribute name="class">tb-docno tb-blank</xsl:attribute>
            </xsl:if>
            <xsl:value-of select="doc-number"/>
          </p>
        </xsl:if>
      </header>
    </xsl:if>
    <h1 class="tb-title"><xsl:call-template name="title"/></h1>
    <xsl:if test="normalize-space(recipients) != ''">
      <p class="tb-recipients"><xsl:value-of select="recipients"/></p>
    </xsl:if>
    <xsl:if test="body/*">
      <div class="tb-body">
        <xsl:apply-templates select="body/*"/>
      </div>
    </xsl:if>
    <xsl:apply-templates select="attach-note[line[normalize-space() != '']]"/>
    <xsl:if test="normalize-space(signature) != '' or normalize-space(date) != ''">
      <div class="tb-sign">
        <xsl:if test="normalize-space(signature) != ''">
          <p class="tb-signature"><xsl:value-of select="signature"/></p>
        </xsl:if>
        <xsl:if test="normalize-space(date) != ''">
          <p class="tb-date"><xsl:value-of select="date"/></p>
        </xsl:if>
      </div>
    </xsl:if>
    <xsl:apply-templates select="attachment"/>
    <xsl:apply-templates select="colophon[normalize-space() != '']"/>
  </article>
</xsl:template>

<!-- the title, or a stand-in when the notice has none -->
<xsl:template name="title">
  <xsl:choose>
    <xsl:when test="normalize-space(/notice/title) != ''">
      <xsl:value-of select="/notice/title"/>
    </xsl:when>
    <xsl:otherwise>通报</xsl:otherwise>
  </xsl:choose>
</xsl:template>

<!-- == contents and downloads == -->

<!-- The contents (each heading of the body's first level, each attachment
     and the group tables in it) and the published files to download, both
     before the 版头; neither is printed.  A short notice (no attachment,
     two headings at most: the 表彰决定) needs no contents. -->
<xsl:template name="guide">
  <xsl:variable name="heads" select="body/heading[@level = 1][normalize-space() != '']"/>
  <xsl:variable name="files" select="portal/file[@offer = 'yes']"/>
  <xsl:variable name="toc" select="attachment or count($heads) &gt; 2"/>
  <xsl:if test="$toc or $files">
    <div class="tb-guide">
      <xsl:if test="$toc">
        <nav class="tb-toc" aria-labelledby="{$id}-toc">
          <p class="tb-guide-label" id="{$id}-toc">目录</p>
          <ol class="tb-toc-list">
            <xsl:for-each select="$heads">
              <li>
                <a href="#{$id}-s{count(preceding-sibling::heading) + 1}"><xsl:value-of select="."/></a>
              </li>
            </xsl:for-each>
            <xsl:for-each select="attachment">
              <li>
                <a href="#{$id}-att-{@n}">
                  <xsl:call-template name="attachment-label"/>
                  <xsl:if test="normalize-space(@title) != ''">
                    <xsl:text>　</xsl:text><xsl:value-of select="@title"/>
                  </xsl:if>
                </a>
                <xsl:if test="table[@id and normalize-space(@caption) != '' and row]">
                  <ul class="tb-toc-groups">
                    <xsl:for-each select="table[@id and normalize-space(@caption) != '' and row]">
                      <li><a href="#{$id}-g-{@id}"><xsl:value-of select="@caption"/></a></li>
                    </xsl:for-each>
                  </ul>
                </xsl:if>
              </li>
            </xsl:for-each>
          </ol>
        </nav>
      </xsl:if>
      <xsl:if test="$files">
        <section class="tb-files" aria-labelledby="{$id}-files">
          <p class="tb-guide-label" id="{$id}-files">下载</p>
          <ul class="tb-files-list">
            <xsl:for-each select="$files">
              <li><xsl:call-template name="file-link"/></li>
            </xsl:for-each>
          </ul>
        </section>
      </xsl:if>
    </div>
  </xsl:if>
</xsl:template>

<!-- a published file: what it is, its format and size -->
<xsl:template name="file-link">
  <xsl:variable name="ext" select="substring-after(@name, '.')"/>
  <a href="{$base}{@name}">
    <xsl:attribute name="type">
      <xsl:choose>
        <xsl:when test="$ext = 'pdf'">application/pdf</xsl:when>
        <xsl:when test="$ext = 'xlsx'">application/vnd.openxmlformats-officedocument.spreadsheetml.sheet</xsl:when>
        <xsl:when test="$ext = 'csv'">text/csv</xsl:when>
        <xsl:otherwise>application/octet-stream</xsl:otherwise>
      </xsl:choose>
    </xsl:attribute>
    <xsl:choose>
      <xsl:when test="@name = 'tongbao.pdf'">通报全文</xsl:when>
      <xsl:when test="@name = 'scores.xlsx' or @name = 'scores.csv'">考评得分表</xsl:when>
      <xsl:when test="@name = 'annual.xlsx' or @name = 'annual.csv'">年度考评得分表</xsl:when>
      <xsl:when test="@name = 'workers.xlsx' or @name = 'workers.csv'">信息调研工作者得分排名</xsl:when>
      <xsl:when test="@name = 'adoptions.csv'">信息采用明细</xsl:when>
      <xsl:otherwise><xsl:value-of select="@name"/></xsl:otherwise>
    </xsl:choose>
    <span class="tb-file-info">
      <xsl:text>（</xsl:text>
      <xsl:choose>
        <xsl:when test="$ext = 'pdf'">PDF</xsl:when>
        <xsl:when test="$ext = 'xlsx'">Excel</xsl:when>
        <xsl:when test="$ext = 'csv'">CSV</xsl:when>
        <xsl:otherwise><xsl:value-of select="translate($ext, 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ')"/></xsl:otherwise>
      </xsl:choose>
      <xsl:text>，</xsl:text>
      <xsl:call-template name="size">
        <xsl:with-param name="bytes" select="@size"/>
      </xsl:call-template>
      <xsl:text>）</xsl:text>
    </span>
  </a>
</xsl:template>

<!-- a size as readers write it: 812 字节, 245 KB, 1.2 MB (1 KB = 1024) -->
<xsl:template name="size">
  <xsl:param name="bytes"/>
  <xsl:choose>
    <xsl:when test="$bytes &lt; 1024"><xsl:value-of select="format-number($bytes, '0')"/> 字节</xsl:when>
    <xsl:when test="$bytes &lt; 1048064"><xsl:value-of select="format-number($bytes div 1024, '0')"/> KB</xsl:when>
    <xsl:otherwise><xsl:value-of select="format-number($bytes div 1048576, '0.0')"/> MB</xsl:otherwise>
  </xsl:choose>
</xsl:template>

<!-- == the metadata strip == -->

<xsl:template match="meta">
  <section class="tb-meta" aria-label="文件信息">
    <dl class="tb-meta-list">
      <xsl:call-template name="meta-item">
        <xsl:with-param name="key" select="'索引号'"/>
        <xsl:with-param name="value" select="index-no"/>
      </xsl:call-template>
      <xsl:call-template name="meta-item">
        <xsl:with-param name="key" select="'分类'"/>
        <xsl:with-param name="value" select="category"/>
      </xsl:call-template>
      <xsl:call-template name="meta-item">
        <xsl:with-param name="key" select="'发布机构'"/>
        <xsl:with-param name="value" select="publisher"/>
      </xsl:call-template>
      <xsl:call-template name="meta-item">
        <xsl:with-param name="key" select="'发文日期'"/>
        <xsl:with-param name="value" select="date"/>
      </xsl:call-template>
      <xsl:call-template name="meta-item">
        <xsl:with-param name="key" select="'文号'"/>
        <xsl:with-param name="value" select="../doc-number[@blank = 'no']"/>
      </xsl:call-template>
      <xsl:call-template name="meta-item">
        <xsl:with-param name="key" select="'有效性'"/>
        <xsl:with-param name="value" select="validity"/>
      </xsl:call-template>
    </dl>
  </section>
</xsl:template>

<xsl:template name="meta-item">
  <xsl:param name="key"/>
  <xsl:param name="value"/>
  <dt><xsl:value-of select="$key"/></dt>
  <dd>
    <xsl:choose>
      <xsl:when test="normalize-space($value) != ''">
        <xsl:value-of select="$value"/>
      </xsl:when>
      <xsl:otherwise>无</xsl:otherwise>
    </xsl:choose>
  </dd>
</xsl:template>

<!-- 附件说明: "附件：" then one line per attachment, aligned after it -->
<xsl:template match="attach-note">
  <div class="tb-attach-note">
    <span class="tb-an-label">附件：</span>
    <div class="tb-an-lines">
      <xsl:for-each select="line[normalize-space() != '']">
        <p><xsl:value-of select="."/></p>
      </xsl:for-each>
    </div>
  </div>
</xsl:template>

<xsl:template name="attachment-label">
  <xsl:choose>
    <xsl:when test="normalize-space(@label) != ''"><xsl:value-of select="@label"/></xsl:when>
    <xsl:otherwise>附件<xsl:value-of select="@n"/></xsl:otherwise>
  </xsl:choose>
</xsl:template>

<xsl:template match="attachment">
  <section class="tb-attachment" aria-labelledby="{$id}-att-{@n}">
    <h2 class="tb-att-head" id="{$id}-att-{@n}">
      <span class="tb-att-label"><xsl:call-template name="attachment-label"/></span>
      <xsl:if test="normalize-space(@title) != ''">
        <span class="tb-att-title"><xsl:value-of select="@title"/></span>
      </xsl:if>
    </h2>
    <!-- the units' names link to their statements (units/ID.pdf) -->
    <xsl:if test="table/row[@id][key('file', concat('units/', @id, '.pdf'))]">
      <p class="tb-note">单位名称链接至该单位本期考评结果明细（PDF）。</p>
    </xsl:if>
    <xsl:apply-templates select="*"/>
  </section>
</xsl:template>

<!-- 版记 -->
<xsl:template match="colophon">
  <div class="tb-colophon">
    <xsl:if test="normalize-space(cc) != ''">
      <p class="tb-cc"><span class="tb-cc-label">抄送：</span><xsl:value-of select="cc"/></p>
    </xsl:if>
    <xsl:if test="normalize-space(printer) != '' or normalize-space(print-date) != ''">
      <p class="tb-print">
        <span class="tb-printer"><xsl:value-of select="printer"/></span>
        <span class="tb-print-date"><xsl:value-of select="print-date"/></span>
      </p>
    </xsl:if>
  </div>
</xsl:template>

<!-- blocks: headings one level below the section's own heading, each with
     its id (the contents link to those of the body's first level) -->
<xsl:template match="heading">
  <xsl:variable name="depth">
    <xsl:choose>
      <xsl:when test="parent::attachment"><xsl:value-of select="@level + 2"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="@level + 1"/></xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:element name="h{$depth}">
    <xsl:attribute name="class">tb-h tb-h<xsl:value-of select="@level"/></xsl:attribute>
    <xsl:attribute name="id">
      <xsl:value-of select="$id"/>
      <xsl:if test="parent::attachment">-att-<xsl:value-of select="../@n"/></xsl:if>
      <xsl:text>-s</xsl:text><xsl:value-of select="count(preceding-sibling::heading) + 1"/>
    </xsl:attribute>
    <xsl:value-of select="."/>
  </xsl:element>
</xsl:template>

<xsl:template match="heading[normalize-space() = ''] | para[normalize-space() = '']
    | list[not(item[normalize-space() != ''])]"/>

<xsl:template match="para">
  <p class="tb-para"><xsl:value-of select="."/></p>
</xsl:template>

<xsl:template match="list">
  <ul class="tb-list">
    <xsl:for-each select="item[normalize-space() != '']">
      <li><xsl:value-of select="."/></li>
    </xsl:for-each>
  </ul>
</xsl:template>

<!-- == tables ==

     A table in its own scrolling box, so a phone scrolls the table and not
     the page; the box is focusable so keyboard users can scroll it.  Every
     table has a caption: its own, else (shown to screen readers only) the
     title of its attachment, else 表N.  The caption is repeated as the first
     header row when printed, so every page of a long table names it.

     A ranking (columns with the roles rank, name and key) folds on a
     phone: the rank, the unit's name and the key figure (总分, 全年) on the
     first line, the other figures after them, each (and the key figure)
     with its column's name (data-label).  Its rows carry the unit's anchor, and the unit's name
     links to the unit's statement when it is published. -->
<xsl:template match="table[not(col)] | chart[not(bar)]"/>

<xsl:template match="table">
  <xsl:variable name="tid" select="concat($id, '-table-', @n)"/>
  <!-- bound once: "../../col" per cell would scan every row of the table -->
  <xsl:variable name="cols" select="col"/>
  <xsl:variable name="fold" select="boolean(col[@role = 'key'])"/>
  <!-- the column whose cells name the row: the one with role name, else
       the first "单位…" or "名称" column -->
  <xsl:variable name="rowhead-rtf">
    <xsl:choose>
      <xsl:when test="col[@role = 'name']">
        <xsl:value-of select="count(col[@role = 'name'][1]/preceding-sibling::col) + 1"/>
      </xsl:when>
      <xsl:when test="col[contains(., '单位') or contains(., '名称')]">
        <xsl:value-of select="count(col[contains(., '单位') or contains(., '名称')][1]/preceding-sibling::col) + 1"/>
      </xsl:when>
      <xsl:otherwise>0</xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="rowhead" select="number($rowhead-rtf)"/>
  <xsl:variable name="own-caption" select="normalize-space(@caption) != ''"/>
  <xsl:variable name="caption">
    <xsl:choose>
      <xsl:when test="$own-caption"><xsl:value-of select="@caption"/></xsl:when>
      <xsl:when test="parent::attachment and normalize-space(../@title) != ''">
        <xsl:value-of select="../@title"/>
      </xsl:when>
      <xsl:otherwise>表<xsl:value-of select="@n"/></xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <div class="tb-scroll" role="region" tabindex="0" aria-labelledby="{$tid}">
    <xsl:if test="normalize-space(@id) != ''">
      <xsl:attribute name="id"><xsl:value-of select="concat($id, '-g-', @id)"/></xsl:attribute>
    </xsl:if>
    <!-- inline too, for the fragment inside a CMS page without style.css -->
    <xsl:attribute name="style">overflow-x:auto;max-width:100%</xsl:attribute>
    <table class="tb-table">
      <xsl:if test="$fold">
        <xsl:attribute name="class">tb-table tb-fold</xsl:attribute>
      </xsl:if>
      <caption id="{$tid}">
        <xsl:if test="not($own-caption)">
          <xsl:attribute name="class">tb-cap-hidden</xsl:attribute>
        </xsl:if>
        <span class="tb-cap">
          <xsl:if test="not($own-caption)">
            <xsl:attribute name="class">tb-cap tb-vh</xsl:attribute>
          </xsl:if>
          <xsl:value-of select="$caption"/>
        </span>
      </caption>
      <thead>
        <tr class="tb-cap-row">
          <td colspan="{count(col)}"><xsl:value-of select="$caption"/></td>
        </tr>
        <tr>
          <xsl:for-each select="col">
            <th scope="col">
              <xsl:attribute name="class">
                <xsl:call-template name="cell-class">
                  <xsl:with-param name="rowhead" select="position() = $rowhead"/>
                </xsl:call-template>
              </xsl:attribute>
              <xsl:value-of select="."/>
            </th>
          </xsl:for-each>
        </tr>
      </thead>
      <tbody>
        <!-- a row marked for print only stands for rows the portal shows -->
        <xsl:for-each select="row[not(@media = 'print')]">
          <xsl:variable name="unit" select="normalize-space(@id)"/>
          <xsl:variable name="statement" select="key('file', concat('units/', $unit, '.pdf'))"/>
          <tr>
            <xsl:if test="$unit != ''">
              <xsl:attribute name="id"><xsl:value-of select="concat($id, '-u-', $unit)"/></xsl:attribute>
            </xsl:if>
            <xsl:for-each select="cell">
              <xsl:variable name="i" select="position()"/>
              <xsl:variable name="col" select="$cols[$i]"/>
              <!-- cell-class's classes in one expression (substring(s, 1 div
                   b) is s when b, else ''): a result tree fragment per cell
                   would cost more than the rest of the cell -->
              <xsl:variable name="class" select="concat('tb-', $col/@align,
                  substring(' tb-rowhead', 1 div ($i = $rowhead)),
                  substring(' tb-rank', 1 div ($col/@role = 'rank')),
                  substring(' tb-key', 1 div ($col/@role = 'key')))"/>
              <xsl:choose>
                <xsl:when test="$i = $rowhead">
                  <th scope="row" class="{$class}">
                    <xsl:choose>
                      <xsl:when test="$statement and $unit != ''">
                        <a href="{$base}units/{$unit}.pdf" type="application/pdf"
                           aria-label="{.}：考评结果明细（PDF）"><xsl:value-of select="."/></a>
                      </xsl:when>
                      <xsl:otherwise><xsl:value-of select="."/></xsl:otherwise>
                    </xsl:choose>
                  </th>
                </xsl:when>
                <xsl:when test="$fold and (not($col/@role) or $col/@role = 'key')">
                  <td class="{$class}" data-label="{$col}"><xsl:value-of select="."/></td>
                </xsl:when>
                <xsl:otherwise>
                  <td class="{$class}"><xsl:value-of select="."/></td>
                </xsl:otherwise>
              </xsl:choose>
            </xsl:for-each>
          </tr>
        </xsl:for-each>
      </tbody>
    </table>
  </div>
</xsl:template>

<!-- the classes of a column's cells (context: the col): its alignment, and
     its role in a ranking -->
<xsl:template name="cell-class">
  <xsl:param name="rowhead"/>
  <xsl:text>tb-</xsl:text><xsl:value-of select="@align"/>
  <xsl:if test="$rowhead"> tb-rowhead</xsl:if>
  <xsl:if test="@role = 'rank'"> tb-rank</xsl:if>
  <xsl:if test="@role = 'key'"> tb-key</xsl:if>
</xsl:template>

<!-- a horizontal bar chart as inline SVG, narrow enough for a phone: per
     bar its label on one line, the bar below it with the value printed
     after it.  role="img" with the title as its name (aria-label: tidy
     takes an id on the SVG title for a misplaced HTML title) and the alt
     sentence as its description. -->
<xsl:template match="chart">
  <xsl:variable name="cid" select="concat($id, '-chart-', @n)"/>
  <xsl:variable name="name">
    <xsl:choose>
      <xsl:when test="normalize-space(@title) != ''"><xsl:value-of select="@title"/></xsl:when>
      <xsl:otherwise>图<xsl:value-of select="@n"/></xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="w" select="$bar-w + 70"/>
  <xsl:variable name="h" select="count(bar) * $bar-row + 28"/>
  <figure class="tb-chart">
    <figcaption class="tb-chart-caption"><xsl:value-of select="$name"/></figcaption>
    <svg class="tb-chart-svg" role="img" viewBox="0 0 {$w} {$h}" width="{$w}" height="{$h}"
         style="max-width:100%;height:auto" aria-label="{$name}">
      <xsl:if test="normalize-space(@alt) != ''">
        <xsl:attribute name="aria-describedby"><xsl:value-of select="$cid"/>-desc</xsl:attribute>
      </xsl:if>
      <title><xsl:value-of select="$name"/></title>
      <xsl:if test="normalize-space(@alt) != ''">
        <desc id="{$cid}-desc"><xsl:value-of select="@alt"/></desc>
      </xsl:if>
      <xsl:for-each select="bar">
        <xsl:variable name="y" select="(position() - 1) * $bar-row"/>
        <xsl:variable name="len">
          <xsl:choose>
            <xsl:when test="../@max &gt; 0">
              <xsl:value-of select="format-number(@value div ../@max * $bar-w, '0.#')"/>
            </xsl:when>
            <xsl:otherwise>0</xsl:otherwise>
          </xsl:choose>
        </xsl:variable>
        <text class="tb-chart-label" x="0" y="{$y + $font}" font-size="{$font}"
              fill="#1a1a1a"><xsl:value-of select="@label"/></text>
        <rect class="tb-chart-bar" x="0" y="{$y + $font + 6}" width="{$len}"
              height="{$bar-h}" fill="#9e1b14"/>
        <text class="tb-chart-value" x="{$len + 6}" y="{$y + $font + 6 + $bar-h - 4}"
              font-size="{$font}" fill="#1a1a1a"><xsl:value-of select="@text"/></text>
      </xsl:for-each>
      <xsl:if test="@value-label">
        <text class="tb-chart-unit" x="0" y="{$h - 8}" font-size="{$font - 2}"
              fill="#4d4d4d">单位：<xsl:value-of select="@value-label"/></text>
      </xsl:if>
    </svg>
  </figure>
</xsl:template>

</xsl:stylesheet>
