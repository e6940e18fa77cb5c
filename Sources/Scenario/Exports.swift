@_exported public import ScenarioModel
