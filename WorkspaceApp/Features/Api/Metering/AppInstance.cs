using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WorkspaceApp.Features.Api.Metering;

/// <summary>
/// One running app process on the database, with its heartbeat (written by <see cref="MeterMaintenance"/> every few
/// seconds). Holds carry the id of the instance that took them, so that an instance releases only its own holds and
/// those of instances not seen for Api:InstanceTimeoutSeconds, never the live holds of another.
/// </summary>
public class AppInstance
{
    public const int IdLength = 64;

    public string Id { get; set; } = "";
    public DateTime StartedAtUtc { get; set; }
    public DateTime LastSeenAtUtc { get; set; }
}

internal sealed class AppInstanceConfiguration : IEntityTypeConfiguration<AppInstance>
{
    public void Configure(EntityTypeBuilder<AppInstance> builder) => builder.Property(i => i.Id).HasMaxLength(AppInstance.IdLength);
}

/// <summary>"App" section: App:InstanceId names this process; unset (or empty), every start gets a new id.</summary>
public sealed class AppInstanceOptions
{
    public const string Section = "App";

    /// <summary>
    /// A stable name (e.g. a StatefulSet pod name): a restart then releases the holds its previous run left at once,
    /// instead of after Api:InstanceTimeoutSeconds. Two live processes must never share it.
    /// </summary>
    [RegularExpression("^[A-Za-z0-9._-]{1,64}$", ErrorMessage = "App:InstanceId must be 1 to 64 letters, digits, '.', '_' or '-'.")]
    public string? InstanceId { get; set; }
}

/// <summary>This process's instance id (singleton).</summary>
public sealed class AppInstanceIdentity(Microsoft.Extensions.Options.IOptions<AppInstanceOptions> options)
{
    public string Id { get; } = options.Value.InstanceId is { Length: > 0 } configured ? configured : Guid.NewGuid().ToString("N");
}
