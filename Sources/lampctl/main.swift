import Foundation
import Postgres
import Scenario
import LampSession

let url = ProcessInfo.processInfo.environment["DATABASE_URL"]!
let runner = ScenarioRunner(connectionString: try ConnectionString(url))
let defs = try BuiltInScenarios.names.map { try BuiltInScenarios.definition(named: $0)! }
let dims = Dimensions(isolations: [.readCommitted, .repeatableRead, .serializable], expireOnCommit: [false, true], apps: [.commit, .flush])
let start = Date()
let result = try runner.run(dims.cases(for: defs))
print(JSONLinesRenderer.render(result.cases), terminator: "")
FileHandle.standardError.write("elapsed \(Date().timeIntervalSince(start))\n".data(using: .utf8)!)
