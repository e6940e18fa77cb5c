import ArgumentParser
import LampctlKit

/// A comma-list option of `scenario`, taken as typed (ScenarioSelection checks it and says what
/// is wrong); `allValueStrings` lets help and shell completion list every value.
protocol CommaListArgument: ExpressibleByArgument {
    var text: String { get }
    init(text: String)
}

extension CommaListArgument {
    init?(argument: String) { self.init(text: argument) }
    var defaultValueDescription: String { text }
    /// Each value, and after a comma the values not listed yet (lampctl answers the shell).
    static var defaultCompletionKind: CompletionKind {
        let values = allValueStrings
        return .custom { _, _, typed in CommaCompletion.candidates(typed: typed, values: values) }
    }
}

/// `--fix`: built-in strategy names, or `all`.
struct StrategyList: CommaListArgument {
    var text: String
    static var allValueStrings: [String] { ScenarioSelection.strategyValues }
}

/// `--isolation`: isolation levels, or `all`.
struct IsolationList: CommaListArgument {
    var text: String
    static var allValueStrings: [String] { ScenarioSelection.isolationValues }
}

/// `--expire-on-commit`: true, false or both.
struct ExpireOnCommitList: CommaListArgument {
    var text: String
    static var allValueStrings: [String] { ScenarioSelection.expireOnCommitValues }
}

/// `--app`: commit, flush or both.
struct AppList: CommaListArgument {
    var text: String
    static var allValueStrings: [String] { ScenarioSelection.appValues }
}

/// `--driver`: sync, async or both.
struct DriverList: CommaListArgument {
    var text: String
    static var allValueStrings: [String] { ScenarioSelection.driverValues }
}

/// `--fixture`: independent, override-get-db, savepoint-join, rollback-per-test or all.
struct FixtureList: CommaListArgument {
    var text: String
    static var allValueStrings: [String] { ScenarioSelection.fixtureValues }
}
