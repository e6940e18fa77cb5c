import ScenarioModel

/// `lampctl matrix` output: a terminal table, Markdown (docs/matrix.md) or an HTML page in the
/// report's style. Each format has the same sections, rows, cells and legend.
public enum FixMatrixRenderer {
    public static func text(_ matrix: FixMatrix, colored: Bool) -> String {
        var out = "Fix matrix at \(matrix.isolation)\n"
        for section in matrix.sections {
            var table = TextTable(header: FixMatrix.header(section))
            for row in section.rows {
                table.rows.append([.init(text: section.orm.displayName), .init(text: row.driver), .init(text: row.wrapper)]
                    + row.cells.map { .init(text: $0.text, color: color($0.tone)) })
            }
            out += "\n" + table.render(colored: colored)
        }
        return out + "\n" + FixMatrix.legend.map { "- " + $0 }.joined(separator: "\n") + "\n"
    }

    /// GitHub Markdown; `preamble` goes first (what generated it, on which server).
    public static func markdown(_ matrix: FixMatrix, preamble: String) -> String {
        var out = preamble + "\n"
        for section in matrix.sections {
            out += "\n## \(section.orm.displayName)\n\n"
            out += "| " + FixMatrix.header(section).map(markdownCell).joined(separator: " | ") + " |\n"
            out += "|" + String(repeating: " --- |", count: FixMatrix.header(section).count) + "\n"
            for row in section.rows {
                let cells = [section.orm.displayName, row.driver, row.wrapper] + row.cells.map(\.text)
                out += "| " + cells.map(markdownCell).joined(separator: " | ") + " |\n"
            }
        }
        return out + "\n## Legend\n\n" + FixMatrix.legend.map { "- " + markdownCell($0) }.joined(separator: "\n") + "\n"
    }

    public static func html(_ matrix: FixMatrix, context: ReportContext) -> String {
        var body = "<header>\n<h1>lampctl fix matrix</h1>\n<dl class=\"run\">\n"
        for (term, value) in [("Isolation", matrix.isolation), ("PostgreSQL", context.serverVersion), ("Database", context.database),
                              ("lampctl", context.lampctlVersion), ("Date", context.date)] {
            body += "<dt>\(MarkupText.escape(term))</dt><dd>\(MarkupText.escape(value))</dd>\n"
        }
        body += "</dl>\n</header>\n<main>\n"
        for section in matrix.sections {
            let id = "matrix-\(section.orm.rawValue)"
            body += "<section aria-labelledby=\"\(id)\">\n<h2 id=\"\(id)\">\(MarkupText.escape(section.orm.displayName))</h2>\n<table>\n"
            body += "<caption>\(MarkupText.escape(section.orm.displayName)): fix strategies (columns) per driver and test wrapper (rows)</caption>\n<thead>\n<tr>"
            for column in FixMatrix.header(section) { body += "<th scope=\"col\">\(MarkupText.escape(column))</th>" }
            body += "</tr>\n</thead>\n<tbody>\n"
            for row in section.rows {
                body += "<tr><th scope=\"row\">\(MarkupText.escape(section.orm.displayName))</th><td>\(MarkupText.escape(row.driver))</td><td>\(MarkupText.escape(row.wrapper))</td>"
                for cell in row.cells { body += "<td class=\"\(cssClass(cell.tone))\">\(MarkupText.escape(cell.text))</td>" }
                body += "</tr>\n"
            }
            body += "</tbody>\n</table>\n</section>\n"
        }
        body += "<section aria-labelledby=\"legend\">\n<h2 id=\"legend\">Legend</h2>\n<ul>\n"
        for line in FixMatrix.legend { body += "<li>\(MarkupText.escape(line))</li>\n" }
        body += "</ul>\n</section>\n</main>\n"
        return HTMLDocument.page(title: "lampctl fix matrix at \(matrix.isolation)", body: body)
    }

    private static func color(_ tone: FixMatrix.Tone) -> ANSIColor {
        switch tone {
        case .good: .green
        case .bad: .red
        case .warn: .yellow
        }
    }

    private static func cssClass(_ tone: FixMatrix.Tone) -> String {
        switch tone {
        case .good: "good"
        case .bad: "bad"
        case .warn: "warn"
        }
    }

    /// A Markdown table cell: `|` escaped, on one line.
    private static func markdownCell(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ").split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|")
    }
}
