using System.Buffers.Text;

namespace SessionAppliance.Protocol.Bencode;

/// <summary>
/// Parses one bencoded value, strictly: canonical integers (no leading zeros, no "-0"), string lengths that fit
/// the input, dict keys in ascending order without duplicates, nothing after the value, bounded depth. Input
/// comes from untrusted peers and clients, so a length is checked against the bytes present before anything is
/// allocated for it.
/// </summary>
public static class BtReader
{
    public const int MaxDepth = 64;

    public static BtValue Parse(ReadOnlySpan<byte> input)
    {
        var position = 0;
        var value = ReadValue(input, ref position, 0);
        return position == input.Length ? value : throw new BtFormatException("trailing bytes after the bencoded value");
    }

    public static bool TryParse(ReadOnlySpan<byte> input, out BtValue? value)
    {
        try
        {
            value = Parse(input);
            return true;
        }
        catch (BtFormatException)
        {
            value = null;
            return false;
        }
    }

    private static BtValue ReadValue(ReadOnlySpan<byte> input, ref int position, int depth)
    {
        if (position >= input.Length)
        {
            throw new BtFormatException("unexpected end of bencoded data");
        }

        if (depth > MaxDepth)
        {
            throw new BtFormatException("bencoded data nested too deeply");
        }

        switch (input[position])
        {
            case (byte)'i':
                position++;
                return new BtInteger(ReadInteger(input, ref position));
            case (byte)'l':
                position++;
                var items = new List<BtValue>();
                while (Peek(input, position) != 'e')
                {
                    items.Add(ReadValue(input, ref position, depth + 1));
                }

                position++;
                return new BtList(items);
            case (byte)'d':
                position++;
                var dict = new BtDict();
                byte[]? previous = null;
                while (Peek(input, position) != 'e')
                {
                    var key = ReadString(input, ref position);
                    if (previous is not null && BtDict.ByteOrder.Instance.Compare(previous, key) >= 0)
                    {
                        throw new BtFormatException("bencoded dict keys are not in ascending order");
                    }

                    dict.Set(key, ReadValue(input, ref position, depth + 1));
                    previous = key;
                }

                position++;
                return dict;
            default:
                return new BtString(ReadString(input, ref position));
        }
    }

    private static byte Peek(ReadOnlySpan<byte> input, int position) =>
        position < input.Length ? input[position] : throw new BtFormatException("unexpected end of bencoded data");

    private static Int128 ReadInteger(ReadOnlySpan<byte> input, ref int position)
    {
        var end = input[position..].IndexOf((byte)'e');
        if (end < 0)
        {
            throw new BtFormatException("unterminated bencoded integer");
        }

        var digits = input.Slice(position, end);
        position += end + 1;
        var negative = digits.Length > 0 && digits[0] == '-';
        var magnitude = negative ? digits[1..] : digits;
        if (magnitude.Length == 0 || magnitude.Length > 20 || (magnitude[0] == '0' && (magnitude.Length > 1 || negative)) || magnitude.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
        {
            throw new BtFormatException("invalid bencoded integer");
        }

        if (!Utf8Parser.TryParse(magnitude, out ulong value, out var consumed) || consumed != magnitude.Length)
        {
            throw new BtFormatException("bencoded integer out of range");
        }

        if (negative && value > (ulong)long.MaxValue + 1)
        {
            throw new BtFormatException("bencoded integer out of range");
        }

        return negative ? -(Int128)value : value;
    }

    private static byte[] ReadString(ReadOnlySpan<byte> input, ref int position)
    {
        var colon = input[position..].IndexOf((byte)':');
        if (colon <= 0 || colon > 10)
        {
            throw new BtFormatException("invalid bencoded string length");
        }

        var digits = input.Slice(position, colon);
        if ((digits[0] == '0' && digits.Length > 1) || !Utf8Parser.TryParse(digits, out long length, out var consumed) || consumed != digits.Length || length < 0)
        {
            throw new BtFormatException("invalid bencoded string length");
        }

        position += colon + 1;
        if (length > input.Length - position)
        {
            throw new BtFormatException("bencoded string longer than the data");
        }

        var value = input.Slice(position, (int)length).ToArray();
        position += (int)length;
        return value;
    }
}
