namespace WorkspaceApp.Features.Billing;

/// <summary>The outcome of a ledger post: refused posts carry the reason and wrote nothing.</summary>
public sealed record LedgerResult(bool Succeeded, string? Error, long BalanceMicros, long? EntryId, bool AlreadyCredited = false)
{
    public static LedgerResult Refused(string error, long balanceMicros = 0) => new(false, error, balanceMicros, null);
    public static LedgerResult Posted(long entryId, long balanceMicros) => new(true, null, balanceMicros, entryId);

    /// <summary>The purchase was credited before: success, and nothing changed.</summary>
    public static LedgerResult Duplicate(long balanceMicros) => new(true, null, balanceMicros, null, AlreadyCredited: true);
}

/// <summary>What <see cref="LedgerService.VerifyAsync"/> found; no problems means every invariant holds.</summary>
public sealed record LedgerVerification(int Workspaces, int Entries, IReadOnlyList<string> Problems)
{
    public bool Ok => Problems.Count == 0;
}
