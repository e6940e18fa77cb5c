public enum _LocalServerPlaceholder {}
