"""Chatbot-tutorial-style seq2seq: packed bidirectional GRU encoder, Luong "general" attention decoder."""
import random

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

VOCAB_SIZE = 8000
HIDDEN = 500
N_LAYERS = 2
DROPOUT = 0.1
SOS, PAD = 1, 0


class EncoderRNN(nn.Module):
    def __init__(self, embedding, hidden_size=HIDDEN, n_layers=N_LAYERS, dropout=DROPOUT):
        super().__init__()
        self.hidden_size = hidden_size
        self.embedding = embedding
        self.gru = nn.GRU(hidden_size, hidden_size, n_layers, dropout=dropout, bidirectional=True)

    def forward(self, input_seq, input_lengths):
        packed = pack_padded_sequence(self.embedding(input_seq), input_lengths.cpu(), enforce_sorted=False)
        outputs, hidden = self.gru(packed)
        outputs, _ = pad_packed_sequence(outputs)
        # Sum the two directions so that the decoder sees hidden_size features.
        outputs = outputs[:, :, : self.hidden_size] + outputs[:, :, self.hidden_size:]
        return outputs, hidden


class LuongAttn(nn.Module):
    def __init__(self, hidden_size=HIDDEN):
        super().__init__()
        self.attn = nn.Linear(hidden_size, hidden_size, bias=False)

    def forward(self, hidden, encoder_outputs, mask):
        energy = torch.sum(hidden * self.attn(encoder_outputs), dim=2).t()
        energy = energy.masked_fill(~mask, float("-inf"))
        return F.softmax(energy, dim=1).unsqueeze(1)


class LuongAttnDecoderRNN(nn.Module):
    def __init__(self, embedding, hidden_size=HIDDEN, output_size=VOCAB_SIZE, n_layers=N_LAYERS, dropout=DROPOUT):
        super().__init__()
        self.n_layers = n_layers
        self.embedding = embedding
        self.embedding_dropout = nn.Dropout(dropout)
        self.gru = nn.GRU(hidden_size, hidden_size, n_layers, dropout=dropout)
        self.concat = nn.Linear(hidden_size * 2, hidden_size)
        self.out = nn.Linear(hidden_size, output_size)
        self.attn = LuongAttn(hidden_size)

    def forward(self, input_step, last_hidden, encoder_outputs, mask):
        embedded = self.embedding_dropout(self.embedding(input_step))
        rnn_output, hidden = self.gru(embedded, last_hidden)
        attn_weights = self.attn(rnn_output, encoder_outputs, mask)
        context = attn_weights.bmm(encoder_outputs.transpose(0, 1)).squeeze(1)
        concat_output = torch.tanh(self.concat(torch.cat((rnn_output.squeeze(0), context), 1)))
        return self.out(concat_output), hidden


def train_batch(batch, encoder, decoder, enc_opt, dec_opt, teacher_forcing_ratio=0.5, clip=50.0):
    input_var, lengths, target_var, max_target_len = batch
    enc_opt.zero_grad()
    dec_opt.zero_grad()
    mask = (input_var != PAD).t()
    encoder_outputs, encoder_hidden = encoder(input_var, lengths)
    decoder_hidden = encoder_hidden[: decoder.n_layers]
    decoder_input = torch.full((1, input_var.size(1)), SOS, dtype=torch.long)
    loss = 0.0
    use_teacher_forcing = random.random() < teacher_forcing_ratio
    for t in range(max_target_len):
        logits, decoder_hidden = decoder(decoder_input, decoder_hidden, encoder_outputs, mask)
        loss = loss + F.cross_entropy(logits, target_var[t], ignore_index=PAD)
        if use_teacher_forcing:
            decoder_input = target_var[t].view(1, -1)
        else:
            decoder_input = logits.argmax(dim=1).view(1, -1).detach()
    loss = loss / max_target_len
    loss.backward()
    nn.utils.clip_grad_norm_(encoder.parameters(), clip)
    nn.utils.clip_grad_norm_(decoder.parameters(), clip)
    enc_opt.step()
    dec_opt.step()
    return loss.item()


@torch.no_grad()
def greedy_decode(encoder, decoder, input_seq, input_length, max_length=10):
    encoder.eval()
    decoder.eval()
    mask = (input_seq != PAD).t()
    encoder_outputs, encoder_hidden = encoder(input_seq, input_length)
    decoder_hidden = encoder_hidden[: decoder.n_layers]
    decoder_input = torch.full((1, 1), SOS, dtype=torch.long)
    tokens = []
    for _ in range(max_length):
        logits, decoder_hidden = decoder(decoder_input, decoder_hidden, encoder_outputs, mask)
        decoder_input = logits.argmax(dim=1, keepdim=True)
        tokens.append(decoder_input.item())
    return tokens


def build(lr=1e-4, decoder_lr_ratio=5.0):
    embedding = nn.Embedding(VOCAB_SIZE, HIDDEN, padding_idx=PAD)
    encoder = EncoderRNN(embedding)
    decoder = LuongAttnDecoderRNN(embedding)
    enc_opt = torch.optim.Adam(encoder.parameters(), lr=lr)
    dec_opt = torch.optim.Adam(decoder.parameters(), lr=lr * decoder_lr_ratio)
    return encoder, decoder, enc_opt, dec_opt
