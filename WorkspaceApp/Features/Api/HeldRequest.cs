using WorkspaceApp.Features.Api.Metering;
using WorkspaceApp.Features.Api.Models;
using WorkspaceApp.Features.Billing;

namespace WorkspaceApp.Features.Api;

/// <summary>A request whose maximum cost is held: it settles to its real cost (never above the hold) or gives the hold back.</summary>
public sealed record HeldRequest(long HoldId, long HoldMicros, ApiCaller Caller, IApiModel Model, ModelPrice Price, int InputTokens)
{
    /// <summary>Holds <paramref name="holdMicros"/> for the request, or answers why the workspace cannot afford it.</summary>
    public static async Task<(HeldRequest? Held, IResult? Refusal)> TakeAsync(
        MeterWriter meter, CreditGate gate, ApiCaller caller, IApiModel model, ModelPrice price, int inputTokens, long holdMicros)
    {
        var hold = new HoldOp(caller.WorkspaceId, caller.ApiKeyId, holdMicros);
        var holdId = await meter.RunAsync(hold);
        if (holdId is null)
        {
            var usage = new UsageEntry(caller.WorkspaceId, caller.ApiKeyId, model.Id, inputTokens, 0, "refused");
            return (null, hold.RefusedByKeyLimit ? await gate.RefuseKeyLimitAsync(usage) : await gate.RefuseAsync(usage));
        }
        return (new HeldRequest(holdId.Value, holdMicros, caller, model, price, inputTokens), null);
    }

    /// <summary>Gives the whole hold back: nothing is charged.</summary>
    public Task<bool> ReleaseAsync(MeterWriter meter) =>
        meter.RunAsync(new ReleaseOp(HoldId, HoldMicros, Usage(InputTokens, 0, "upstream_failed")));

    /// <summary>Charges the tokens at the model's price, capped at the hold; a model that reported more is logged.</summary>
    public Task<SettleResult> SettleAsync(MeterWriter meter, ILogger logger, int inputTokens, int outputTokens, string status = "succeeded")
    {
        var cost = Price.CostMicros(inputTokens, outputTokens);
        if (cost > HoldMicros)
        {
            logger.LogWarning("Model {Model} reported {Input} input + {Output} output tokens, more than the hold covers: charged the hold ({Hold} micro-credits)",
                Model.Id, inputTokens, outputTokens, HoldMicros);
        }
        return meter.RunAsync(new SettleOp(HoldId, HoldMicros, Math.Min(cost, HoldMicros), Usage(inputTokens, outputTokens, status)));
    }

    /// <summary>The settled figures as headers, for an answer whose headers are not yet sent.</summary>
    public static void WriteCreditHeaders(HttpResponse response, SettleResult settled)
    {
        response.Headers["X-Credits-Charged"] = Money.FormatExact(settled.ChargedMicros);
        response.Headers["X-Credits-Remaining"] = Money.FormatExact(settled.BalanceMicros);
    }

    private UsageEntry Usage(int input, int output, string status) => new(Caller.WorkspaceId, Caller.ApiKeyId, Model.Id, input, output, status);
}
