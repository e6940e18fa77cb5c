/// The application's views, written with Django's ORM: each request runs its code in
/// `transaction.atomic()` on the connection the test wrapper gives it (a request thread's own, or
/// the test's through the test client).
enum DjangoView {
    /// `lamp = Lamp.objects.get(pk=id); lamp.status = "on"; lamp.save()`.
    static func switchOn(_ id: Int64, with model: DjangoModelOperations) throws {
        try inAtomic(model.connection) {
            let lamp = try model.get(id)
            lamp.status = "on"
            try model.save(lamp)
        }
    }

    /// `Lamp.objects.get(pk=id).delete()`.
    static func delete(_ id: Int64, with model: DjangoModelOperations) throws {
        try inAtomic(model.connection) {
            try model.delete(try model.get(id))
        }
    }

    /// `with transaction.atomic(): body()`: left by the exception when the body raises one.
    private static func inAtomic(_ connection: DjangoConnection, _ body: () throws -> Void) throws {
        try connection.enterAtomic()
        do {
            try body()
        } catch {
            try? connection.exitAtomic(failed: true)
            throw error
        }
        try connection.exitAtomic(failed: false)
    }
}
