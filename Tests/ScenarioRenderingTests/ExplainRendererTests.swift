import Scenario
import ScenarioRendering
import TestSupport
import Testing

/// Explanations come from the run's event log (recorded results, no database): the same strategy
/// reads differently under other settings.
@Suite(.bounded) struct ExplainRendererTests {
    @Test func refreshIsExplainedDifferentlyUnderReadCommittedAndRepeatableRead() throws {
        let readCommitted = ExplainRenderer.explain(try RecordedResults.one("refresh-read-committed"))
        let repeatableRead = ExplainRenderer.explain(try RecordedResults.one("refresh-repeatable-read"))
        #expect(readCommitted != repeatableRead)
        #expect(readCommitted.contains("refresh overwrote"))
        #expect(repeatableRead.contains("snapshot"))
        #expect(!repeatableRead.contains("refresh overwrote"))
    }

    @Test func noneAtReadCommittedBlamesTheIdentityMap() throws {
        let text = ExplainRenderer.explain(try RecordedResults.one("none"))
        #expect(text.contains("identity map already held"))
        #expect(text.contains("The stale layer is the identity map"))
        #expect(text.contains("false failure"))
    }

    @Test func noneAtRepeatableReadBlamesTheSnapshot() throws {
        let text = ExplainRenderer.explain(try RecordedResults.one("none-repeatable-read"))
        #expect(text.contains("snapshot taken at its first statement"))
        #expect(text.contains("before S2's COMMIT at line"))
        #expect(text.contains("The stale layer is the snapshot"))
    }

    @Test func sharedSessionWithAFlushingAppSaysNothingWasCommitted() throws {
        let text = ExplainRenderer.explain(try RecordedResults.one("shared-session-app-flush"))
        #expect(text.contains("nothing was committed"))
        #expect(text.contains("false pass"))
        #expect(text.contains("own uncommitted write"))
    }

    @Test func commitDependsOnExpireOnCommit() throws {
        let kept = ExplainRenderer.explain(try RecordedResults.one("commit"))
        let expired = ExplainRenderer.explain(try RecordedResults.one("commit-expire-on-commit"))
        #expect(kept.contains("nothing was expired (expire_on_commit is false)"))
        #expect(expired.contains("expire_on_commit expired"))
        #expect(kept != expired)
    }

    @Test func appCommitAndFlushAreExplainedDifferently() throws {
        let committed = ExplainRenderer.explain(try RecordedResults.one("none"))
        let flushed = ExplainRenderer.explain(try RecordedResults.one("none-app-flush"))
        #expect(committed.contains("committed it at line"))
        #expect(flushed.contains("only flushed it"))
        #expect(flushed.contains("true failure"))
    }

    @Test func closeExplainsTheNewObject() throws {
        let text = ExplainRenderer.explain(try RecordedResults.one("close-repeatable-read"))
        #expect(text.contains("a new object"))
        #expect(text.contains("after S2's COMMIT"))
    }
}
