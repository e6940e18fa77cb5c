/// The grammar reference of scenario files, printed from the keyword tables by
/// `lampctl scenario --grammar` (text, also kept verbatim in the README) and `--grammar --json`
/// (read by the SQLAlchemy cross-check).
public enum ScenarioGrammar {
    /// The session names step lines use in the reference, per session kind.
    static func exampleSession(_ role: SessionRoleKeyword) -> String {
        switch role {
        case .test: return "S1"
        case .app: return "S2"
        case .worker: return "S3"
        }
    }

    /// The text reference: every line kind, session kind, setting and step, one line each with its help.
    public static var reference: String { reference(for: .sqlalchemy) }

    /// The reference of the lines a file of `orm` accepts.
    public static func reference(for orm: ORM) -> String {
        var rows: [(String, String)] = []
        for line in LineKeyword.allCases { rows.append((line.syntax, line.help)) }
        for role in SessionRoleKeyword.allCases { rows.append(("  " + role.spelling, role.help)) }
        for setting in SessionSetting.accepted(by: orm) { rows.append(("  " + setting.syntax(in: orm), setting.help(in: orm))) }
        let steps = StepKeyword.accepted(by: orm).map { keyword in
            let syntax = [exampleSession(keyword.performer), keyword.spelling, keyword.takesLamp ? LampName.syntax : "",
                          keyword.arguments(in: orm).syntax]
            return (syntax.filter { !$0.isEmpty }.joined(separator: " "), keyword.help(in: orm))
        }
        let width = (rows + steps).map(\.0.count).max() ?? 0
        func render(_ row: (String, String)) -> String {
            row.0 + String(repeating: " ", count: width + 2 - row.0.count) + "# " + row.1 + "\n"
        }
        return "# '#' starts a comment; lines come in this order:\n"
            + rows.map(render).joined()
            + "# Steps, one a line: SESSION KEYWORD [LAMP] [ARGUMENT] (S1: a test session, S2: an app session, S3: a worker)\n"
            + "# LAMP: a lamp's name (a-z first, then a-z, 0-9, _; not an argument word); none: the unnamed lamp\n"
            + steps.map(render).joined()
    }

    /// The same tables as JSON (one object; `lines`, `roles`, `settings`, `steps`), for tools.
    public static var json: String { json(for: .sqlalchemy) }

    /// The tables of `orm`'s lines as JSON.
    public static func json(for orm: ORM) -> String {
        func strings(_ values: [String]) -> String { "[" + values.map(JSONText.string).joined(separator: ", ") + "]" }
        func list(_ name: String, _ items: [String]) -> String {
            "  \(JSONText.string(name)): [\n" + items.map { "    " + $0 }.joined(separator: ",\n") + "\n  ]"
        }
        let lines = LineKeyword.allCases.map {
            JSONText.object([("keyword", JSONText.string($0.spelling)), ("syntax", JSONText.string($0.syntax)),
                             ("help", JSONText.string($0.help))])
        }
        let roles = SessionRoleKeyword.allCases.map {
            JSONText.object([("keyword", JSONText.string($0.spelling)), ("help", JSONText.string($0.help))])
        }
        let settings = SessionSetting.accepted(by: orm).map {
            JSONText.object([("keyword", JSONText.string($0.spelling)), ("syntax", JSONText.string($0.syntax(in: orm))),
                             ("values", $0.values(in: orm).map(strings) ?? "null"),
                             ("roles", strings($0.roles.map(\.spelling))), ("help", JSONText.string($0.help(in: orm)))])
        }
        let steps = StepKeyword.accepted(by: orm).map {
            JSONText.object([("keyword", JSONText.string($0.spelling)), ("session", JSONText.string($0.performer.spelling)),
                             ("sessions", strings($0.performers.map(\.spelling))),
                             ("arguments", JSONText.string($0.arguments(in: orm).kind)), ("values", strings($0.arguments(in: orm).values)),
                             ("lamp", String($0.takesLamp)),
                             ("help", JSONText.string($0.help(in: orm)))])
        }
        return "{\n" + [list("lines", lines), list("roles", roles), list("settings", settings), list("steps", steps)]
            .joined(separator: ",\n") + "\n}\n"
    }
}
