using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SessionAppliance.Client;
using SessionAppliance.Client.Onion;
using SessionAppliance.Node.Hosting;
using SessionAppliance.Protocol.Onion;

namespace SessionAppliance.Bench;

/// <summary>
/// Onion hops: (1) one thread in-process, a node's whole per-hop work (as OnionEndpoint does it: in place in the
/// request buffer, next layer streamed) against a raw libsodium loop of the
/// same primitives (X25519 + BLAKE2b KDF + XChaCha20-Poly1305 of 1.5 KB), as a ratio from the same run;
/// (2) hops/s over HTTPS loopback through real nodes with p50/p99 latency.
/// </summary>
public static class OnionBenchmark
{
    private const int LayerBytes = 1500;

    public static async Task RunAsync(BenchOptions options)
    {
        var (ours, raw) = MeasureInProcess(options.Duration);
        Console.WriteLine();
        Console.WriteLine("| one thread, in-process | hops/s |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine($"| node hop (copy body, parse, X25519, KDF, decrypt 1.5 KB in place, parse, next-layer header) | {ours:N0} |");
        Console.WriteLine($"| raw libsodium (X25519, BLAKE2b, XChaCha20-Poly1305 decrypt 1.5 KB) | {raw:N0} |");
        Console.WriteLine($"| ratio | {ours / raw:0.00} |");

        await MeasureOverHttpsAsync(options);
    }

    private static (double Ours, double Raw) MeasureInProcess(TimeSpan duration)
    {
        var nodeSecret = Sodium.SodiumCore.GetRandomBytes(32);
        var nodePublic = Sodium.ScalarMult.Base(nodeSecret);
        var deriver = new HopKeyDeriver(nodeSecret, nodePublic);
        var next = new OnionHop(new byte[32], nodePublic);
        var onion = OnionRequestBuilder.ToNode([new OnionHop(new byte[32], nodePublic)], next,
            new JsonObject { ["method"] = "store", ["params"] = new JsonObject { ["data"] = new string('A', LayerBytes) } }, OnionCipher.XChaCha20Poly1305);

        // Our hop: everything a relay does to one layer, on a fresh copy of the body as each request has.
        var ours = Rate(duration, () =>
        {
            OnionPayload.TryParse(onion.EntryPayload.ToArray(), out var payload, out _);
            var key = deriver.Derive(payload.Cipher, payload.EphemeralKey)!.Value;
            var ciphertext = System.Runtime.InteropServices.MemoryMarshal.AsMemory(payload.Ciphertext);
            var plaintext = ciphertext[HopCrypto.DecryptInPlace(key, ciphertext.Span)!.Value];
            OnionInstruction.TryParse(plaintext, out var instruction, out _);
            var relay = (OnionInstruction.Relay)instruction;
            OnionPayload.Metadata(relay.EphemeralKey, relay.Cipher, 1);
        });

        // The same primitives called straight into libsodium, buffers reused.
        OnionPayload.TryParse(onion.EntryPayload, out var fixedPayload, out _);
        var blob = fixedPayload.Ciphertext.ToArray();
        var ephemeral = fixedPayload.EphemeralKey;
        Span<byte> shared = stackalloc byte[32];
        var kdfInput = new byte[96];
        var key = new byte[32];
        var message = new byte[blob.Length];
        var rawRate = Rate(duration, () =>
        {
            RawSodium.ScalarMult(kdfInput.AsSpan(0, 32), nodeSecret, ephemeral);
            ephemeral.CopyTo(kdfInput, 32);
            nodePublic.CopyTo(kdfInput, 64);
            RawSodium.GenericHash(key, 32, kdfInput, 96, IntPtr.Zero, 0);
            RawSodium.XChaChaDecrypt(message, out _, IntPtr.Zero, blob.AsSpan(24), (ulong)(blob.Length - 24), IntPtr.Zero, 0, blob.AsSpan(0, 24), key);
        });
        return (ours, rawRate);
    }

    private static double Rate(TimeSpan duration, Action operation)
    {
        for (var i = 0; i < 200; i++)
        {
            operation();
        }

        var stopwatch = Stopwatch.StartNew();
        long count = 0;
        while (stopwatch.Elapsed < duration)
        {
            for (var i = 0; i < 100; i++)
            {
                operation();
            }

            count += 100;
        }

        return count / stopwatch.Elapsed.TotalSeconds;
    }

    private static async Task MeasureOverHttpsAsync(BenchOptions options)
    {
        await using var network = await StaticNetwork.StartAsync(4, "https");
        var keys = network.Keys;
        var ports = network.Ports;
        var path = keys.Take(3).Select(k => new OnionHop(k.Ed25519.PublicKey, k.X25519PublicKey)).ToArray();
        var destination = new OnionHop(keys[3].Ed25519.PublicKey, keys[3].X25519PublicKey);
        var clients = Enumerable.Range(0, options.Concurrency).Select(i => LocalPorts.ClientFor(ports[0], i)).ToArray();
        var info = new JsonObject { ["method"] = "info", ["params"] = new JsonObject() };
        var onions = Enumerable.Range(0, 256).Select(_ => OnionRequestBuilder.ToNode(path, destination, info, OnionCipher.XChaCha20Poly1305)).ToArray();

        Console.WriteLine($"Sending onion requests (3 relays + destination = 4 hops each) for {options.Duration.TotalSeconds:0} s with {options.Concurrency} clients…");
        var result = await LoadRun.RunAsync(options.Concurrency, options.Duration, async (worker, i) =>
        {
            var onion = onions[(int)((worker * 31 + i) % onions.Length)];
            var reply = await clients[worker].PostAsync("/onion_req/v2", "", customise: r => r.Content = new ByteArrayContent(onion.EntryPayload));
            return reply.Code == 200 && onion.OpenNodeReply(reply.Body) is { Status: 200 };
        });
        var x25519 = network.Services.Sum(services => services.GetRequiredService<HopKeyDeriver>().ScalarMultiplications);
        var pacedRate = result.PerSecond * 0.7;
        Console.WriteLine($"Sending at 70% of that ({pacedRate:N0} requests/s): 3 s to warm the connection pools, then {options.Duration.TotalSeconds:0} s measured…");
        async Task<bool> SendPaced(long n)
        {
            var onion = onions[(int)(n % onions.Length)];
            var reply = await clients[(int)(n % clients.Length)].PostAsync("/onion_req/v2", "", customise: r => r.Content = new ByteArrayContent(onion.EntryPayload));
            return reply.Code == 200 && onion.OpenNodeReply(reply.Body) is { Status: 200 };
        }

        await LoadRun.RunPacedAsync(pacedRate, TimeSpan.FromSeconds(3), SendPaced);
        var paced = await LoadRun.RunPacedAsync(pacedRate, options.Duration, SendPaced);

        Console.WriteLine();
        Console.WriteLine("| over HTTPS loopback, 4 nodes + clients on the same cores | value |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine($"| requests/s | {result.PerSecond:N0} |");
        Console.WriteLine($"| hops/s (4 per request) | {result.PerSecond * 4:N0} |");
        Console.WriteLine($"| request latency p50 / p99 | {result.P50Ms:0.0} ms / {result.P99Ms:0.0} ms |");
        Console.WriteLine($"| X25519 per hop (counter / hops) | {x25519 / (double)(result.Operations * 4):0.000} |");
        Console.WriteLine($"| failures | {result.Failures} |");
        Console.WriteLine($"| at 70% load: hops/s, p50 / p99 | {paced.PerSecond * 4:N0}, {paced.P50Ms:0.0} ms / {paced.P99Ms:0.0} ms |");
        Console.WriteLine($"| at 70% load: failures | {paced.Failures} |");
        foreach (var client in clients)
        {
            client.Dispose();
        }
    }
}
