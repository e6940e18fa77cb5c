public enum _ScenarioPlaceholder {}
