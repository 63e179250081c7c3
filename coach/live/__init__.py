"""The live coach: play a Timeline in real time through an audio output."""
