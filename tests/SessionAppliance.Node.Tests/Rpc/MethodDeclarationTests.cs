using Microsoft.Extensions.DependencyInjection;
using SessionAppliance.Node.Rpc;
using SessionAppliance.Node.Tests.Support;

namespace SessionAppliance.Node.Tests.Rpc;

/// <summary>The reference's endpoint table (client_rpc_endpoints.h, v2.8.0): every name, and which are recursive.</summary>
public class MethodDeclarationTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    [Theory]
    [InlineData("store", true)]
    [InlineData("retrieve", false)]
    [InlineData("delete", true)]
    [InlineData("delete_all", true)]
    [InlineData("delete_before", true)]
    [InlineData("expire", true)]
    [InlineData("expire_all", true)]
    [InlineData("get_expiries", false)]
    [InlineData("get_swarm", false)]
    [InlineData("get_snodes_for_pubkey", false)]
    [InlineData("info", false)]
    [InlineData("oxend_request", false)]
    [InlineData("revoke_subaccount", true)]
    [InlineData("unrevoke_subaccount", true)]
    [InlineData("revoked_subaccounts", false)]
    [InlineData("batch", false)]
    [InlineData("sequence", false)]
    [InlineData("ifelse", false)]
    public void Each_method_answers_to_its_names_and_is_forwarded_as_the_reference_declares(string method, bool forwarded)
    {
        var dispatcher = fixture.Node.Services.GetRequiredService<ClientRpcDispatcher>();

        Assert.True(dispatcher.Knows(method));
        Assert.Equal(forwarded, dispatcher.IsForwarded(method));
        Assert.Equal(method is "batch" or "sequence" or "ifelse", dispatcher.IsMeta(method));
    }

    [Fact]
    public void No_two_methods_claim_one_name()
    {
        var names = fixture.Node.Services.GetServices<IClientMethod>().SelectMany(m => m.Declaration.Names).ToList();

        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(18, names.Count);
    }
}
