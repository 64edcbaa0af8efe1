using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WorkspaceApp.Features.Api.Metering;

/// <summary>
/// Credits set aside for a request in flight. Workspaces.HeldMicros is the sum of a workspace's holds; a hold never
/// changes the balance or the ledger, so balance = sum of ledger holds at every moment. Settling deletes the hold and
/// debits the real cost; a hold whose request died is released by <see cref="MeterMaintenance"/>.
/// </summary>
public class CreditHold
{
    public long Id { get; set; }
    public int WorkspaceId { get; set; }
    public int ApiKeyId { get; set; }
    public long AmountMicros { get; set; }
    public DateTime CreatedAtUtc { get; set; }

    /// <summary>The <see cref="AppInstance"/> that took it ("" for holds older than instance ids).</summary>
    public string InstanceId { get; set; } = "";
}

internal sealed class CreditHoldConfiguration : IEntityTypeConfiguration<CreditHold>
{
    public void Configure(EntityTypeBuilder<CreditHold> builder)
    {
        // No index besides the key: the table only holds requests in flight (a few rows), read by the expiry sweep
        // every few seconds, while every metered request inserts and deletes a row (an index is a page per commit).
        builder.Property(h => h.InstanceId).HasMaxLength(AppInstance.IdLength);
    }
}
