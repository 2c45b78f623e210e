<?xml version="1.0" encoding="UTF-8"?>
<!--
  html.xsl - the portal page of a 通报, from the notice's XML record
  (vocabulary: gen/docxml.h).  render_html.c prepends <!DOCTYPE html> and
  also writes the page's <article> element alone as the body-only fragment
  a portal CMS wraps in its own template: keep exactly one <article>, and
  keep what the content needs without the page's CSS (the scrolling boxes'
  inline style) inside it.  The CSS comes from style.css beside this file
  as the parameter css and is inlined, so the page references nothing
  outside itself.

  Edit freely, but keep: no external resources (links, images, fonts,
  scripts), ids made from the n attributes (never generate-id(), which
  would make the bytes differ from run to run), and text copied with
  value-of (the serializer escapes it).
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

<xsl:output method="html" encoding="UTF-8" indent="yes"/>

<xsl:param name="css" select="''"/>

<!-- chart geometry, in SVG user units -->
<xsl:variable name="bar-row" select="50"/>
<xsl:variable name="bar-h" select="18"/>
<xsl:variable name="bar-w" select="270"/>
<xsl:variable name="font" select="15"/>

<xsl:template match="/">
  <html lang="zh-CN">
    <head>
      <meta name="viewport" content="width=device-width, initial-scale=1"/>
      <title><xsl:call-template name="title"/></title>
      <xsl:if test="normalize-space(notice/subject) != ''">
        <meta name="description" content="{notice/subject}"/>
      </xsl:if>
      <style><xsl:value-of select="$css" disable-output-escaping="yes"/></style>
    </head>
    <body>
      <main>
        <xsl:apply-templates select="notice"/>
      </main>
    </body>
  </html>
</xsl:template>

<!-- the notice: metadata strip, 版头, title, 主送, body, 附件说明, signature,
     attachments, 版记.  Empty parts are left out (an empty element is an
     HTML warning and says nothing to a screen reader). -->
<xsl:template match="notice">
  <article class="tb-notice" lang="zh-CN">
    <xsl:apply-templates select="meta"/>
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

<!-- the portal's metadata strip -->
<xsl:template match="meta">
  <section class="tb-meta" aria-label="文件信息">
    <dl>
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

<xsl:template match="attachment">
  <section class="tb-attachment" aria-labelledby="tb-att-{@n}">
    <h2 class="tb-att-head" id="tb-att-{@n}">
      <span class="tb-att-label">
        <xsl:choose>
          <xsl:when test="normalize-space(@label) != ''"><xsl:value-of select="@label"/></xsl:when>
          <xsl:otherwise>附件<xsl:value-of select="@n"/></xsl:otherwise>
        </xsl:choose>
      </span>
      <xsl:if test="normalize-space(@title) != ''">
        <span class="tb-att-title"><xsl:value-of select="@title"/></span>
      </xsl:if>
    </h2>
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

<!-- blocks: headings one level below the section's own heading -->
<xsl:template match="heading">
  <xsl:variable name="depth">
    <xsl:choose>
      <xsl:when test="parent::attachment"><xsl:value-of select="@level + 2"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="@level + 1"/></xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:element name="h{$depth}">
    <xsl:attribute name="class">tb-h tb-h<xsl:value-of select="@level"/></xsl:attribute>
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

<!-- a table in its own scrolling box, so a phone scrolls the table and not
     the page; the box is focusable so keyboard users can scroll it -->
<xsl:template match="table[not(col)] | chart[not(bar)]"/>

<xsl:template match="table">
  <xsl:variable name="id" select="concat('tb-table-', @n)"/>
  <!-- bound once: "../../col" per cell would scan every row of the table -->
  <xsl:variable name="cols" select="col"/>
  <!-- the column whose cells name the row: the first "单位…" or "名称" column -->
  <xsl:variable name="rowhead">
    <xsl:choose>
      <xsl:when test="col[contains(., '单位') or contains(., '名称')]">
        <xsl:value-of select="count(col[contains(., '单位') or contains(., '名称')][1]/preceding-sibling::col) + 1"/>
      </xsl:when>
      <xsl:otherwise>0</xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <div class="tb-scroll" role="region" tabindex="0">
    <xsl:choose>
      <xsl:when test="normalize-space(@caption) != ''">
        <xsl:attribute name="aria-labelledby"><xsl:value-of select="$id"/></xsl:attribute>
      </xsl:when>
      <xsl:otherwise>
        <xsl:attribute name="aria-label">表<xsl:value-of select="@n"/></xsl:attribute>
      </xsl:otherwise>
    </xsl:choose>
    <!-- inline too, for the fragment inside a CMS page without style.css -->
    <xsl:attribute name="style">overflow-x:auto;max-width:100%</xsl:attribute>
    <table class="tb-table">
      <xsl:if test="normalize-space(@caption) != ''">
        <caption id="{$id}"><span class="tb-cap"><xsl:value-of select="@caption"/></span></caption>
      </xsl:if>
      <thead>
        <tr>
          <xsl:for-each select="col">
            <th scope="col" class="tb-{@align}">
              <xsl:if test="position() = $rowhead">
                <xsl:attribute name="class">tb-<xsl:value-of select="@align"/> tb-rowhead</xsl:attribute>
              </xsl:if>
              <xsl:value-of select="."/>
            </th>
          </xsl:for-each>
        </tr>
      </thead>
      <tbody>
        <!-- a row marked for print only stands for rows the portal shows -->
        <xsl:for-each select="row[not(@media = 'print')]">
          <tr>
            <xsl:for-each select="cell">
              <xsl:variable name="i" select="position()"/>
              <xsl:variable name="align" select="$cols[$i]/@align"/>
              <xsl:choose>
                <xsl:when test="$i = $rowhead">
                  <th scope="row" class="tb-{$align} tb-rowhead"><xsl:value-of select="."/></th>
                </xsl:when>
                <xsl:otherwise>
                  <td class="tb-{$align}"><xsl:value-of select="."/></td>
                </xsl:otherwise>
              </xsl:choose>
            </xsl:for-each>
          </tr>
        </xsl:for-each>
      </tbody>
    </table>
  </div>
</xsl:template>

<!-- a horizontal bar chart as inline SVG, narrow enough for a phone: per
     bar its label on one line, the bar below it with the value printed
     after it.  role="img" with the title as its name (aria-label: tidy
     takes an id on the SVG title for a misplaced HTML title) and the alt
     sentence as its description. -->
<xsl:template match="chart">
  <xsl:variable name="id" select="concat('tb-chart-', @n)"/>
  <xsl:variable name="name">
    <xsl:choose>
      <xsl:when test="normalize-space(@title) != ''"><xsl:value-of select="@title"/></xsl:when>
      <xsl:otherwise>图<xsl:value-of select="@n"/></xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="w" select="$bar-w + 70"/>
  <xsl:variable name="h" select="count(bar) * $bar-row + 28"/>
  <figure class="tb-chart">
    <figcaption><xsl:value-of select="$name"/></figcaption>
    <svg class="tb-chart-svg" role="img" viewBox="0 0 {$w} {$h}" width="{$w}" height="{$h}"
         style="max-width:100%;height:auto" aria-label="{$name}">
      <xsl:if test="normalize-space(@alt) != ''">
        <xsl:attribute name="aria-describedby"><xsl:value-of select="$id"/>-desc</xsl:attribute>
      </xsl:if>
      <title><xsl:value-of select="$name"/></title>
      <xsl:if test="normalize-space(@alt) != ''">
        <desc id="{$id}-desc"><xsl:value-of select="@alt"/></desc>
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
