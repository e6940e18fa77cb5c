/// A self-contained HTML5 page: language, title, one inline style sheet, and a Content Security
/// Policy that lets nothing load from outside the file (no scripts, no fonts, no images but
/// `data:`), so the page reads the same offline and sends no request when opened.
enum HTMLDocument {
    static func page(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="lampctl">
        <title>\(MarkupText.escape(title))</title>
        <style>
        \(style)</style>
        </head>
        <body>
        \(body)</body>
        </html>

        """
    }

    /// Verdicts and outcomes carry a class for their colour and always say their word too.
    static let style = """
        body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #1b1b1b; background: #fff; line-height: 1.4; }
        h1 { font-size: 1.5rem; margin-bottom: 0.25rem; }
        h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ccc; }
        h3 { font-size: 1rem; }
        table { border-collapse: collapse; margin: 1rem 0; font-size: 0.9rem; }
        caption { text-align: left; font-weight: bold; padding-bottom: 0.4rem; }
        th, td { border: 1px solid #bbb; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
        thead th { background: #eef0f3; }
        tbody th { font-weight: normal; }
        .good { background: #dcf3e0; color: #0b4d1a; }
        .bad { background: #fbdcdc; color: #7a0b0b; }
        .warn { background: #fff1c7; color: #5c4400; }
        .muted { color: #555; }
        dl.run { display: grid; grid-template-columns: max-content auto; gap: 0.2rem 1rem; }
        dl.run dt { font-weight: bold; }
        dl.run dd { margin: 0; }
        pre { background: #f6f7f9; padding: 0.5rem; overflow-x: auto; font-size: 0.8rem; }
        details { margin: 0.5rem 0 1rem; }
        summary { cursor: pointer; font-weight: bold; }
        figure { margin: 0.5rem 0; overflow-x: auto; }
        .verdict { font-size: 1.05rem; }
        svg.diagram { font-family: ui-monospace, monospace; font-size: 12px; }
        svg .lifeline { stroke: #888; stroke-dasharray: 4 3; }
        svg .participant { font-weight: bold; font-family: system-ui, sans-serif; font-size: 13px; }
        svg .role { fill: #555; font-family: system-ui, sans-serif; }
        svg .request { stroke: #1b1b1b; }
        svg .reply { stroke: #1b1b1b; stroke-dasharray: 3 3; }
        svg .head { fill: #1b1b1b; }
        svg .section { fill: #eef0f3; }
        svg .section-title { font-weight: bold; }
        svg .highlight { fill: #fbdcdc; }
        svg .note { fill: #fffbe6; stroke: #d8c98a; }
        svg .note.warning { fill: #ffe1e1; stroke: #c24; }
        svg .warning-text { fill: #7a0b0b; font-weight: bold; }
        svg .summary { fill: #f1f3f6; stroke: #bbb; }

        """
}
